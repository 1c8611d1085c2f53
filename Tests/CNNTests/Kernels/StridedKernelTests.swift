import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

/// Broadcast views made contiguous: a single value fills, a row broadcast along an axis repeats.
@Suite struct BroadcastCopyTests {
    @Test func broadcastViewsBecomeTheirValues() throws {
        let one = try Tensor([2.5], shape: [1, 1]).expanded(to: [300, 700])
        let filled = try one.contiguous()
        #expect(filled.isContiguous && filled.count == 210_000 && filled.values.allSatisfy { $0 == 2.5 })
        let row = try Tensor([1, 2, 3], shape: [3, 1]).expanded(to: [3, 4])
        #expect(try row.contiguous().values == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        let col = try Tensor([1, 2], shape: [1, 2]).expanded(to: [2, 2])
        #expect(try col.contiguous().values == [1, 2, 1, 2])
    }
}
