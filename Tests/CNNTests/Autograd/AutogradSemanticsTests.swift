import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

@Suite struct AutogradSemanticsTests {
    /// PyTorch's AccumulateGrad: a second backward adds into the same `.grad` tensor in place, and a sum's
    /// gradient (a broadcast view) reaches leaves and nodes with the right values.
    @Test func gradientsAccumulateInPlaceIntoTheSameTensor() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        a.requiresGrad = true
        try a.sum().backward()
        let first = try #require(a.grad)
        #expect(first.values == [1, 1, 1, 1, 1, 1])
        try (a * 3).sum(dims: [1]).sum().backward()
        #expect(a.grad === first)
        #expect(first.values == [4, 4, 4, 4, 4, 4])
        // a sum's gradient flowing into a node that needs it contiguous, and into a broadcast operand
        let b = try Tensor([1, 2, 3], shape: [3])
        b.requiresGrad = true
        try ((a * b).sum(dims: [0]) * b).sum().backward()
        // d/db_j of Σ_j b_j Σ_i a_ij b_j = 2 b_j Σ_i a_ij
        let expected: [Double] = [10, 28, 54]
        #expect(try #require(b.grad).values == expected)
    }

    @Test func anInPlaceWriteToASavedTensorIsAnErrorNotAWrongGradient() throws {
        let x = try Tensor([1, 2], shape: [2])
        x.requiresGrad = true
        let e = try x.exp()
        let z = e.detach()
        try z.setIndex([.index(0)], Tensor(scalar: 0))
        #expect {
            try e.sum().backward()
        } throws: { error in
            (error as? CNNError)?.message.contains("modified by an in-place operation") == true
                && (error as? CNNError)?.message.contains("exp") == true
        }
        #expect(x.grad == nil)
    }

    @Test func anOptimiserStepBetweenForwardAndBackwardIsCaught() throws {
        let w = try Tensor([1, 2], shape: [2])
        w.requiresGrad = true
        let loss = try (w * w).sum()
        w.grad = try Tensor([1, 1], shape: [2])
        try SGD([w], lr: 0.1).step()
        #expect(throws: CNNError.self) { try loss.backward() }
    }

    @Test func aSecondBackwardNeedsRetainGraph() throws {
        let x = try Tensor([1, 2, 3], shape: [3])
        x.requiresGrad = true
        let h = try x * 2
        let y = try (h * h).sum()
        try y.backward(retainGraph: true)
        try y.backward()
        #expect(x.grad?.values == [16, 32, 48])
        #expect(throws: CNNError.self) { try y.backward() }
    }

    @Test func aSecondBackwardThroughNodesThatSavedNothingWorks() throws {
        // as in PyTorch, the error is for saved tensors that were freed: sums, additions, reshapes save none
        let x = try Tensor([1, 2, 3], shape: [3])
        x.requiresGrad = true
        let y = try (x + 1).reshaped([3, 1]).sum()
        try y.backward()
        try y.backward()
        #expect(x.grad?.values == [2, 2, 2])
        let z = try (x.exp() + 1).sum()  // exp saves its output
        try z.backward()
        #expect(throws: CNNError.self) { try z.backward() }
    }

    @Test func sharedSubgraphsGiveTheRightGradientOnEveryBackward() throws {
        let x = try Tensor.ones([3])
        x.requiresGrad = true
        let s = try x * 1
        let a = try (s + s).sum()  // 2 per element
        let b = try (s * 3).sum()  // 3 per element
        try a.backward(retainGraph: true)
        try b.backward()
        #expect(x.grad?.values == [5, 5, 5])
    }

    @Test func nonLeafGradsAreNilUnlessRetained() throws {
        let x = try Tensor([1, 2], shape: [2])
        x.requiresGrad = true
        let h = try x * 3
        let k = try x * 4
        try k.retainGrad()
        try (h + k).sum().backward()
        #expect(h.grad == nil)
        #expect(k.grad?.values == [1, 1])
        #expect(throws: CNNError.self) { try h.setRequiresGrad(false) }
        #expect(throws: CNNError.self) { try Tensor.arange(0, 3, dtype: .int64).setRequiresGrad(true) }
    }

    @Test func theDerivativeOfXToTheZeroIsZero() throws {
        let x = try Tensor([0, 2], shape: [2], dtype: .float64)
        x.requiresGrad = true
        try x.pow(0).sum().backward()
        #expect(x.grad?.values == [0, 0])
    }

    @Test func conversionsCarryTheGradient() throws {
        let x = try Tensor([1, 2], shape: [2], dtype: .float64)
        x.requiresGrad = true
        try (x.to(.float32) * 3).sum().backward()
        #expect(x.grad?.values == [3, 3] && x.grad?.dtype == .float64)
    }

    @Test func aLongChainIsFreedWithoutOverflowingTheStack() throws {
        var y = try Tensor.ones([1])
        y.requiresGrad = true
        for _ in 0..<100_000 { y = try y * 1.0 }
        y = try Tensor.zeros([1])  // releases the 100,000-node chain
        #expect(y.count == 1)
    }

    @Test func layerOutputsAreReadOnly() throws {
        let l = try Linear(3, 2)
        _ = try l(Tensor.ones([1, 3]))
        let out = try #require(l.output)
        #expect(throws: CNNError.self) { try out.setIndex([.index(0)], Tensor(scalar: 0)) }
        #expect(try out.clone().isReadOnly == false)
    }
}
