import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

@Suite struct NumericsTests {
    @Test(arguments: [DType.float32, .float64])
    func softmaxOfEqualLargeLogitsIsExactlyUniform(_ dt: DType) throws {
        let x = try Tensor([1e4, 1e4], shape: [2], dtype: dt)
        #expect(try x.softmax(dim: 0).values == [0.5, 0.5])
        let l = try x.logSoftmax(dim: 0).values
        #expect(Swift.abs(l[0] + log(2)) < 1e-6 && l[0] == l[1])
        let ce = try crossEntropy(x.reshaped([1, 2]), Tensor([0], shape: [1], dtype: .int64)).item()
        #expect(Swift.abs(ce - log(2)) < 1e-6)
    }

    @Test func float32SumsArePairwise() throws {
        #expect(try Tensor.ones([20_000_000]).sum().item() == 20_000_000)
        let x = try Tensor.full([3, 1_000_000, 2], 0.1)
        let s = try x.sum(dims: [1]).values
        for v in s { #expect(Swift.abs(v - 100_000) < 1) }
    }

    @Test func nanPropagatesThroughReluMaxMinAndPooling() throws {
        let x = try Tensor([1, .nan, -1, 3], shape: [1, 1, 2, 2])
        #expect(try x.relu().values[1].isNaN)
        #expect(try x.max().item().isNaN && x.min().item().isNaN)
        #expect(try x.maxPool2d(kernel: (2, 2)).item().isNaN)
        #expect(try x.binary(.maximum, Tensor(scalar: 0)).values[1].isNaN)
    }

    @Test func integerTensorsKeepIntegers() throws {
        let i = try Tensor.arange(0, 5, dtype: .int64)
        #expect(try (i * 2).dtype == .int64 && (i + i).values == [0, 2, 4, 6, 8])
        #expect(try (i / 2).dtype == .float32 && (i / 2).values == [0, 0.5, 1, 1.5, 2])
        #expect(try (i * 0.5).dtype == .float32)
        #expect(try i.binary(.remainder, Tensor(scalar: 3, dtype: .int64)).values == [0, 1, 2, 0, 1])
        let x = try Tensor([3, 9, 2, 9], shape: [2, 2])
        #expect(try x.argmax(dim: 1).dtype == .int64 && x.argmax(dim: 1).values == [1, 1])
        #expect(try x.argmax().values == [1])
        #expect(try Tensor.arange(0, 5, dtype: .int64).mean().item() == 2)
    }

    @Test func remainderFollowsTheSignOfTheDivisor() throws {
        let a = try Tensor([-7, 7, -7, 7], shape: [4]), b = try Tensor([3, -3, -3, 3], shape: [4])
        #expect(try a.binary(.remainder, b).values == [2, -2, -1, 1])
        #expect(throws: CNNError.self) {
            try Tensor.arange(0, 3, dtype: .int64).binary(.remainder, Tensor(scalar: 0, dtype: .int64))
        }
    }
}
