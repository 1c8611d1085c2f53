import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

/// A long sum runs across cores and gives the sequential pairwise sum to the last bit.
@Suite struct ParallelSumTests {
    @Test(arguments: [65_536, 70_001, (1 << 20) + 3])
    func parallelSumIsThePairwiseSumExactly(_ n: Int) throws {
        var g = RandomGenerator(seed: UInt64(n))
        let xs = (0..<n).map { _ in Float(g.normal() * 3 + 1) }
        try xs.withUnsafeBufferPointer { b in
            let base = try #require(b.baseAddress)
            let parallel = try ReduceKernels.parallelPairwiseSum(base, n)
            #expect(parallel.bitPattern == ReduceKernels.pairwiseSum(base, n).bitPattern)
            let exact = xs.reduce(0.0) { $0 + Double($1) }
            #expect(abs(Double(parallel) - exact) <= 1e-5 * Double(n).squareRoot() * 3)
        }
        // and through the tensor op
        let t = try Tensor(xs.map(Double.init), shape: [n])
        let sequential = try xs.withUnsafeBufferPointer { b in
            ReduceKernels.pairwiseSum(try #require(b.baseAddress), n)
        }
        #expect(Float(try t.sum().item()).bitPattern == sequential.bitPattern)
    }
}
