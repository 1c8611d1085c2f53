import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

@Suite struct SizeValidationTests {
    @Test func sizesThatOverflowAreErrorsNotCrashes() throws {
        #expect(throws: CNNError.self) { try Tensor.zeros([0]).reshaped([4_294_967_296, 4_294_967_296]) }
        #expect(throws: CNNError.self) { try Tensor.zeros([1 << 32, 1 << 32]) }
        #expect(throws: CNNError.self) { try Tensor.arange(0, 1e18) }
        #expect(throws: CNNError.self) { try Tensor.linspace(0, 1, 1 << 50) }
        #expect(throws: CNNError.self) { try Tensor.zeros([1, 1, 4, 4]).padded([(Int.max - 1, 2)]) }
        #expect(throws: CNNError.self) {
            try Tensor.zeros([1, 1, 4, 4]).conv2d(
                Tensor.zeros([1, 1, 1, 1]), Conv2dOptions(stride: 1, padding: Int.max / 2))
        }
        #expect(throws: CNNError.self) { try Shape.integer(.nan, "label") }
        #expect(throws: CNNError.self) { try Shape.integer(1e300, "label") }
    }

    @Test func aBudgetGivesMemoryErrorBeforeAllocating() throws {
        let budget = MemoryBudget(limit: 1 << 20)
        MemoryBudget.$current.withValue(budget) {
            #expect(throws: CNNError.self) { try Tensor.zeros([1 << 20]) }
            #expect(budget.inUse == 0)
        }
    }
}
