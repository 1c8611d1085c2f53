import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

@Suite struct IndexingTests {
    @Test func integerArraysGatherAndScatterAddBack() throws {
        let scores = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        scores.requiresGrad = true
        let picked = try scores.index([
            .array(Tensor.arange(0, 2, dtype: .int64)), .array(Tensor([2, 0], shape: [2], dtype: .int64)),
        ])
        #expect(picked.values == [3, 4])
        let rows = try scores.index([.array(Tensor([1, 1, 0], shape: [3], dtype: .int64))])
        #expect(rows.shape == [3, 3])
        try (picked.sum() + rows.sum()).backward()
        #expect(scores.grad?.values == [1, 1, 2, 3, 2, 2])  // row 1 twice, plus the picked elements
    }

    @Test func masksSelectAndAssign() throws {
        let x = try Tensor([-1, 2, -3, 4], shape: [2, 2])
        let m = try x.binary(.gt, Tensor(scalar: 0))
        #expect(m.isMask)
        #expect(try x.index([.mask(m)]).values == [2, 4])
        try x.setIndex([.mask(m)], Tensor(scalar: 0))
        #expect(x.values == [-1, 0, -3, 0])
        #expect(throws: CNNError.self) { try x.index([.mask(Tensor.ones([3]))]) }
    }

    @Test func separatedArraysPutTheirDimensionsFirst() throws {
        let x = try Tensor.arange(0, 24).reshaped([2, 3, 4])
        let y = try x.index([
            .array(Tensor([0, 1], shape: [2], dtype: .int64)), .all, .array(Tensor([3, 0], shape: [2], dtype: .int64)),
        ])
        #expect(y.shape == [2, 3])  // NumPy: (2,) broadcast dims first, then the sliced dim
        #expect(y.values == [3, 7, 11, 12, 16, 20])
    }

    @Test func outOfRangeIndicesAreIndexErrors() throws {
        let x = try Tensor.zeros([3])
        #expect(throws: CNNError.self) { try x.index([.array(Tensor([3], shape: [1], dtype: .int64))]) }
        #expect(throws: CNNError.self) { try x.index([.index(-4)]) }
        #expect(throws: CNNError.self) { try x.element([5]) }
    }
}
