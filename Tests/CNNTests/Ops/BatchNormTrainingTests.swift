import Testing
@testable import CNN
@testable import StrideTestSupport

/// The fused training batch norm against the composed formula (mean, biased variance, scale and shift written
/// with elementwise ops) on odd sizes, in Float32 and Float64: outputs, the three gradients, running statistics.
@Suite struct BatchNormFusedTests {
    func composed(_ x: Tensor, _ w: Tensor, _ b: Tensor, eps: Double) throws -> Tensor {
        let c = x.shape[1]
        let dims = x.ndim == 4 ? [0, 2, 3] : [0]
        let shape = x.ndim == 4 ? [1, c, 1, 1] : [1, c]
        let mean = try x.mean(dims: dims, keepdim: true)
        let d = try x - mean
        let v = try (d * d).mean(dims: dims, keepdim: true)
        return try d / (v + eps).sqrt() * w.reshaped(shape) + b.reshaped(shape)
    }

    @Test(arguments: [[1, 3, 5, 7], [7, 5, 1, 1], [2, 1, 3, 3], [9, 4]])
    func fusedMatchesComposed(_ shape: [Int]) throws {
        for dtype in [DType.float32, .float64] {
            let tol = dtype == .float32 ? 1e-4 : 1e-10
            let c = shape[1]
            var outs: [[Double]] = []
            var grads: [[Double]] = []
            for fused in [true, false] {
                // A source of its own: tests run in parallel, and a shared generator could be drawn from by
                // another test between the two passes, giving them different inputs.
                let draws = try GlobalRandom.$current.withValue(RandomSource(seed: 3)) {
                    try (
                        Tensor.randn(shape, dtype: dtype) * 3 + 1, Tensor.randn([c], dtype: dtype),
                        Tensor.randn([c], dtype: dtype), Tensor.randn(shape, dtype: dtype)
                    )
                }
                let (x, w, b, up) = draws
                for t in [x, w, b] { t.requiresGrad = true }
                let rm = try Tensor.zeros([c], dtype: dtype), rv = try Tensor.ones([c], dtype: dtype)
                let y =
                    fused
                    ? try batchNorm(x, runningMean: rm, runningVar: rv, weight: w, bias: b, training: true)
                    : try composed(x, w, b, eps: 1e-5)
                try y.backward(gradient: up)
                outs.append(y.values)
                grads.append(try [x, w, b].flatMap { try #require($0.grad).values })
                if fused {
                    let n = Double(x.count / c)
                    let mean = try x.detach().mean(dims: shape.count == 4 ? [0, 2, 3] : [0])
                    let d = try x.detach() - mean.reshaped(shape.count == 4 ? [1, c, 1, 1] : [1, c])
                    let v = try (d * d).sum(dims: shape.count == 4 ? [0, 2, 3] : [0]) / (n - 1)
                    expectClose(rm, try (mean * 0.1).values, atol: tol)
                    expectClose(rv, try (v * 0.1 + 0.9).values, atol: tol)
                }
            }
            for (a, e) in zip(outs[0], outs[1]) { #expect(abs(a - e) <= tol * max(1, abs(e)), "\(shape) \(dtype)") }
            for (a, e) in zip(grads[0], grads[1]) { #expect(abs(a - e) <= tol * max(1, abs(e)), "\(shape) \(dtype)") }
        }
    }
}
