import Testing

@testable import CNN
@testable import StrideTestSupport

/// The max-pooling kernel (interior windows with selects, clipped edge windows, indices only under autograd)
/// against pooling written out window by window, on odd sizes, with ties and NaNs.
@Suite struct MaxPoolKernelTests {
    /// (kernel, stride, padding, ceil mode) on a 2×3×7×9 input.
    static let settings: [(Int, Int, Int, Bool)] = [
        (2, 2, 0, false), (3, 2, 1, false), (3, 2, 0, true), (2, 1, 1, false), (1, 1, 0, false), (3, 3, 1, true),
        (5, 2, 2, false),
    ]

    /// Reference: values and the gradient that sends each window's gradient to its first maximum (row-major),
    /// the first NaN when there is one; padding never wins.
    static func naive(
        _ x: [Double], h: Int, w: Int, planes: Int, k: Int, s: Int, p: Int, oh: Int, ow: Int
    )
        -> (values: [Double], gradient: [Double])
    {
        var values = [Double](), gradient = [Double](repeating: 0, count: x.count)
        for plane in 0..<planes {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -Double.infinity, at = -1
                    for i in 0..<k {
                        for j in 0..<k {
                            let iy = oy * s - p + i, ix = ox * s - p + j
                            guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                            let v = x[plane * h * w + iy * w + ix]
                            if at < 0 || (!best.isNaN && (v.isNaN || v > best)) {
                                best = v
                                at = plane * h * w + iy * w + ix
                            }
                        }
                    }
                    values.append(best)
                    // the upstream gradient is 1 + the output's flat index, so each window's share is distinct
                    gradient[at] += Double(values.count)
                }
            }
        }
        return (values, gradient)
    }

    @Test(arguments: settings)
    func poolingMatchesWindowByWindow(_ setting: (Int, Int, Int, Bool)) throws {
        let (k, s, p, ceil) = setting
        // rounded values make ties; a few NaNs sit inside, on the edge and next to each other
        var x = try sample([2, 3, 7, 9], seed: 31).values.map { ($0 * 2).rounded() }
        for i in [0, 13, 14, 40, 62, 200, 377] { x[i] = .nan }
        for dtype in [DType.float32, .float64] {
            let input = try Tensor(x, shape: [2, 3, 7, 9], dtype: dtype)
            let plain = try withNoGrad {
                try input.maxPool2d(kernel: (k, k), stride: (s, s), padding: (p, p), ceilMode: ceil)
            }
            input.requiresGrad = true
            let y = try input.maxPool2d(kernel: (k, k), stride: (s, s), padding: (p, p), ceilMode: ceil)
            let (oh, ow) = (y.shape[2], y.shape[3])
            let ref = Self.naive(x, h: 7, w: 9, planes: 6, k: k, s: s, p: p, oh: oh, ow: ow)
            let upstream = try Tensor((1...y.count).map(Double.init), shape: y.shape, dtype: dtype)
            try y.backward(gradient: upstream)
            let same = { (a: [Double], b: [Double]) in zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } }
            #expect(same(plain.values, ref.values), "values without autograd, \(setting) \(dtype)")
            #expect(same(y.values, ref.values), "values under autograd, \(setting) \(dtype)")
            #expect(try #require(input.grad).values == ref.gradient, "gradient, \(setting) \(dtype)")
        }
    }
}
