import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

/// Views write through, in-place writes are caught by autograd, graphs are freed once, and what a
/// user sizes is validated: the runtime's semantics, checked against NumPy's and PyTorch's.
@Suite struct ViewTests {
    @Test func chainedIndexingWritesThroughAsInNumPy() throws {
        let x = try Tensor.zeros([2, 3])
        let row = try x.index([.index(0)])
        try row.setIndex([.index(1)], Tensor(scalar: 5))
        #expect(x.values == [0, 5, 0, 0, 0, 0])
        let col = try x.index([.all, .slice(start: 2, stop: nil, step: nil)])
        try col.assign(Tensor([7, 8], shape: [2, 1]))
        #expect(x.values == [0, 5, 7, 0, 0, 8])
        // a permuted view reads the right elements and writes through too
        let t = try x.transposed(0, 1)
        #expect(t.shape == [3, 2] && t.values == [0, 0, 5, 0, 7, 8] && !t.isContiguous)
        try t.setIndex([.index(0), .index(1)], Tensor(scalar: -1))
        #expect(x.values == [0, 5, 7, -1, 0, 8])
    }

    @Test func assignmentBroadcastsLikeNumPy() throws {
        let x = try Tensor.zeros([3])
        try x.setIndex([.all], Tensor([1, 2, 3], shape: [1, 3]))  // [1, 3] into a [3] selection
        #expect(x.values == [1, 2, 3])
        #expect(throws: CNNError.self) { try x.setIndex([.all], Tensor([1, 2], shape: [2])) }
    }

    @Test func compoundUpdateOfASliceIsInPlace() throws {
        let x = try Tensor.arange(0, 12).reshaped([3, 4])
        let storage = x.storage
        try x.updateIndex([.slice(start: 1, stop: 3, step: nil), .index(2)], .add, Tensor(scalar: 10))
        #expect(x.storage === storage)
        #expect(x.values == [0, 1, 2, 3, 4, 5, 16, 7, 8, 9, 20, 11])
    }

    @Test func reshapeIsAViewOfContiguousTensorsAndACopyOtherwise() throws {
        let x = try Tensor.arange(0, 6).reshaped([2, 3])
        #expect(try x.reshaped([3, 2]).storage === x.storage)
        let t = try x.transposed(0, 1)
        let r = try t.reshaped([6])
        #expect(r.storage !== x.storage && r.values == [0, 3, 1, 4, 2, 5])
    }
}
