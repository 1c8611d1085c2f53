import Testing

@testable import CNN
@testable import StrideTestSupport

/// im2col and col2im — the flat path (stride 1, output rows as long as input rows) and the row-by-row path —
/// against their definitions, value for value, on odd sizes, 1-wide maps, dilation and uneven padding.
@Suite struct Im2colTests {
    /// (input [N, C, H, W], kernel, padding, dilation, stride)
    static let settings: [([Int], (Int, Int), (Int, Int), (Int, Int), (Int, Int))] = [
        ([2, 3, 5, 7], (3, 3), (1, 1), (1, 1), (1, 1)),  // flat: "same" padding
        ([1, 2, 6, 5], (5, 5), (2, 2), (1, 1), (1, 1)),  // flat, taps whose valid range is a sliver
        ([2, 2, 7, 6], (3, 3), (0, 1), (1, 1), (1, 1)),  // flat rows, shorter output
        ([1, 3, 9, 8], (3, 3), (2, 2), (2, 2), (1, 1)),  // flat, dilated
        ([3, 1, 4, 1], (3, 1), (1, 0), (1, 1), (1, 1)),  // flat, 1-wide
        ([1, 2, 2, 2], (3, 3), (1, 1), (1, 1), (1, 1)),  // flat, map smaller than the window
        ([2, 2, 6, 7], (3, 3), (1, 1), (1, 1), (2, 2)),  // row by row: stride 2
        ([1, 2, 6, 7], (2, 3), (0, 0), (1, 1), (1, 1)),  // row by row: no padding
    ]

    @Test(arguments: settings)
    func columnsFollowTheDefinition(
        _ setting: ([Int], (Int, Int), (Int, Int), (Int, Int), (Int, Int))
    ) throws {
        let (shape, k, p, d, s) = setting
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let x = try sample(shape, seed: 41)
        let cols = try x.im2col(kernel: k, stride: s, padding: p, dilation: d)
        let oh = (h + 2 * p.0 - d.0 * (k.0 - 1) - 1) / s.0 + 1, ow = (w + 2 * p.1 - d.1 * (k.1 - 1) - 1) / s.1 + 1
        #expect(cols.shape == [c * k.0 * k.1, n * oh * ow])
        // expected columns, and the image gradient that sums them back (adding in col2im's order: tap by tap)
        let xv = x.values, cv = try sample(cols.shape, seed: 42).values
        var want = [Double](repeating: 0, count: cols.count), back = [Double](repeating: 0, count: x.count)
        for ch in 0..<c {
            for i in 0..<k.0 {
                for j in 0..<k.1 {
                    let row = (ch * k.0 + i) * k.1 + j
                    for img in 0..<n {
                        for y in 0..<oh {
                            for xx in 0..<ow {
                                let iy = y * s.0 - p.0 + i * d.0, ix = xx * s.1 - p.1 + j * d.1
                                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                let at = ((img * c + ch) * h + iy) * w + ix,
                                    o = row * n * oh * ow + (img * oh + y) * ow + xx
                                want[o] = xv[at]
                                back[at] += cv[o]
                            }
                        }
                    }
                }
            }
        }
        #expect(cols.values == want, "im2col \(setting)")
        let summed = try Tensor(cv, shape: cols.shape, dtype: .float64)
            .col2im(imageShape: shape, kernel: k, stride: s, padding: p, dilation: d)
        #expect(summed.values == back, "col2im \(setting)")
    }
}

@Suite struct Col2imTests {
    /// col2im(im2col(ones)) counts how many receptive fields cover each pixel (hand values).
    @Test func col2imIsTheAdjointOfIm2col() throws {
        let cols = try Tensor.ones([1, 1, 3, 3]).im2col(kernel: (2, 2))
        let back = try cols.col2im(imageShape: [1, 1, 3, 3], kernel: (2, 2))
        #expect(back.values == [1, 2, 1, 2, 4, 2, 1, 2, 1])
        #expect(throws: CNNError.self) { try cols.col2im(imageShape: [1, 2, 3, 3], kernel: (2, 2)) }
        #expect(throws: CNNError.self) { try cols.col2im(imageShape: [3, 3], kernel: (2, 2)) }
    }
}
