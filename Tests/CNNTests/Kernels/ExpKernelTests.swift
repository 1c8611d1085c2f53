import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

/// The vectorised Float32 exp against Float64 libm, and the Float32 softmax / log_softmax / exp paths that use
/// it against Float64 computations of the same values.
@Suite struct ExpKernelTests {
    /// Distance in units in the last place of the Float nearest the true value.
    static func ulps(_ got: Float, _ want: Double) -> Double {
        let nearest = Float(want)
        return Swift.abs(Double(got) - want) / Double(nearest.ulp)
    }

    @Test func expIsWithinTwoUlpFromUnderflowToOverflow() {
        var worst = 0.0, worstAt: Float = 0
        var x: Float = -103.9
        while x < 88.72 {
            let got = ExpKernel.exp(x), want = Foundation.exp(Double(x))
            let e = Self.ulps(got, want)
            if e > worst {
                worst = e
                worstAt = x
            }
            x += 0.000_731
        }
        #expect(worst <= 2, "worst error \(worst) ulp at x = \(worstAt)")
    }

    @Test func expEdgesMatchLibm() {
        for x: Float in [0, -0.0, 1, -1, 88.72, 88.73, 100, .infinity, -87.5, -103.9, -104, -200, -.infinity] {
            let got = ExpKernel.exp(x), want = Foundation.expf(x)
            #expect(got == want || Self.ulps(got, Double(want)) <= 2, "exp(\(x)) = \(got), libm \(want)")
        }
        #expect(ExpKernel.exp(Float.nan).isNaN)
        // eight lanes at once give what one lane gives
        let xs = ExpKernel.Lanes(-3, -0.5, 0, 0.25, 1, 10, -.infinity, .nan)
        let ys = ExpKernel.exp(xs)
        for i in 0..<8 { #expect(ys[i] == ExpKernel.exp(xs[i]) || (ys[i].isNaN && xs[i].isNaN)) }
    }

    @Test func float32SoftmaxLogSoftmaxAndExpMatchFloat64() throws {
        // rows longer and shorter than a vector, a large shift, a row of −∞ and one with a NaN
        var rows: [[Double]] = [
            (0..<37).map { sin(Double($0)) * 9 }, [1, 2, 3], (0..<8).map { Double($0) * 300 - 1000 },
        ]
        let width = rows.map(\.count).max() ?? 1
        rows = rows.map { $0 + [Double](repeating: -.infinity, count: width - $0.count) }
        rows.append([Double](repeating: -.infinity, count: width))
        rows.append([0, .nan] + [Double](repeating: 1, count: width - 2))
        let values = rows.flatMap { $0 }
        let x32 = try Tensor(values, shape: [rows.count, width], dtype: .float32)
        let x64 = try Tensor(x32.values, shape: x32.shape, dtype: .float64)
        let pairs = [
            (try x32.softmax(dim: 1).values, try x64.softmax(dim: 1).values),
            (try x32.logSoftmax(dim: 1).values, try x64.logSoftmax(dim: 1).values),
            (try x32.clamp(min: -90, max: 80).exp().values, try x64.clamp(min: -90, max: 80).exp().values),
        ]
        for (k, (got, want)) in pairs.enumerated() {
            for (g, w) in zip(got, want) {
                let close = (g.isNaN && w.isNaN) || g == w || Swift.abs(g - w) <= 1e-6 * Swift.max(1, Swift.abs(w))
                #expect(close, "case \(k): \(g) against \(w)")
            }
        }
    }

    @Test func float32CrossEntropyGradientMatchesFloat64() throws {
        let logits = try sample([5, 11], seed: 51).values.map { $0 * 4 }
        let labels = try Tensor([3, 0, 10, 7, 3], shape: [5], dtype: .int64)
        var grads: [[Double]] = []
        for dtype in [DType.float32, .float64] {
            let x = try Tensor(logits, shape: [5, 11], dtype: dtype)
            x.requiresGrad = true
            try (crossEntropy(x, labels) * 3).backward()
            grads.append(try #require(x.grad).values)
        }
        for (g, w) in zip(grads[0], grads[1]) { #expect(Swift.abs(g - w) <= 1e-6, "\(g) against \(w)") }
        // each row of the gradient sums to zero: softmax sums to one, the label takes one off
        for i in 0..<5 { #expect(Swift.abs(grads[1][(i * 11)..<(i * 11 + 11)].reduce(0, +)) < 1e-12) }
    }
}
