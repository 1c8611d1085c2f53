import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

@Suite struct InterruptTests {
    /// Every long kind of work stops soon after the token is cancelled (a generous bound for a debug
    /// build on a busy machine; the tight figure is in `stride bench`).
    @Test(arguments: ["randn", "elementwise", "sum", "matmul", "conv", "permute"])
    func longWorkStopsWhenCancelled(_ kind: String) throws {
        let token = CancellationToken()
        let x =
            kind == "matmul" ? try Tensor.randn([900, 900]) : try Tensor.randn([kind == "conv" ? 8 : 64, 16, 64, 64])
        let w = try Tensor.randn([16, 16, 3, 3])
        token.cancel()
        let t0 = Date()
        #expect(throws: CNNError.interrupted) {
            try Cancellation.$current.withValue(token) {
                for _ in 0..<100 {
                    switch kind {
                    case "randn": _ = try Tensor.randn([4_000_000])
                    case "elementwise": _ = try (x * 2 + 1).exp()
                    case "sum": _ = try x.sum(dims: [1])
                    case "matmul": _ = try x.matmul(x)
                    case "conv": _ = try x.conv2d(w, Conv2dOptions(stride: 1, padding: 1))
                    default: _ = try x.permuted([3, 2, 1, 0]).contiguous()
                    }
                }
            }
        }
        #expect(Date().timeIntervalSince(t0) < 5)
    }
}
