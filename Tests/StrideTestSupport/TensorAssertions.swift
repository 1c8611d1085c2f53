import Testing
@testable import CNN

/// Elementwise closeness with absolute + relative tolerance (not an Equatable).
func expectClose(
    _ t: Tensor, _ expected: [Double], atol: Double = 1e-5, rtol: Double = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(t.count == expected.count, "count \(t.count) vs \(expected.count)", sourceLocation: sourceLocation)
    let vals = t.values
    for (i, e) in expected.enumerated() where i < t.count {
        let v = vals[i]
        #expect(
            Swift.abs(v - e) <= atol + rtol * Swift.abs(e), "element \(i): \(v) vs \(e)", sourceLocation: sourceLocation
        )
    }
}

/// Random Float64 tensor from a fixed seed, kept away from 0 when `positive`.
func sample(_ shape: [Int], positive: Bool = false, seed: UInt64) throws -> Tensor {
    var r = RandomGenerator(seed: seed)
    let n = shape.reduce(1, *)
    let vals = (0..<n).map { _ in positive ? 0.5 + r.uniform() : r.normal() }
    return try Tensor(vals, shape: shape, dtype: .float64)
}

/// Direct convolution by loops, independent of im2col/GEMM (the reference).
func naiveConv(
    _ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, pad: Int, dilation: Int = 1, groups: Int = 1
) -> [Double] {
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (K, Cg, KH, KW) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let OH = (H + 2 * pad - dilation * (KH - 1) - 1) / stride + 1,
        OW = (W + 2 * pad - dilation * (KW - 1) - 1) / stride + 1
    var out = [Double](repeating: 0, count: N * K * OH * OW)
    let Kg = K / groups
    let xv = x.values, wv = w.values, bv = b?.values
    for n in 0..<N {
        for k in 0..<K {
            for oy in 0..<OH {
                for ox in 0..<OW {
                    var s = bv.map { $0[k] } ?? 0
                    let g = k / Kg
                    for c in 0..<Cg {
                        for i in 0..<KH {
                            for j in 0..<KW {
                                let iy = oy * stride - pad + i * dilation, ix = ox * stride - pad + j * dilation
                                if iy < 0 || iy >= H || ix < 0 || ix >= W { continue }
                                s += xv[((n * C + g * Cg + c) * H + iy) * W + ix] * wv[((k * Cg + c) * KH + i) * KW + j]
                            }
                        }
                    }
                    out[((n * K + k) * OH + oy) * OW + ox] = s
                }
            }
        }
    }
    _ = C
    return out
}

/// A small CNN for 1×8×8 inputs and 3 classes: conv, ReLU, pool, flatten, linear.
func smallNet() throws -> Sequential {
    Sequential([
        try Conv2d(1, 4, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu), try MaxPool2d(IntPair(2)),
        Flatten(), try Linear(4 * 4 * 4, 3),
    ])
}
