import Foundation
import Testing

@testable import CNN

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

@Suite struct Col2imTests {
    /// col2im(im2col(ones)) counts how many receptive fields cover each pixel (hand values).
    @Test func col2imIsTheAdjointOfIm2col() throws {
        let cols = try Tensor.ones([1, 1, 3, 3]).im2col(kernel: (2, 2))
        let back = try cols.col2im(imageShape: [1, 1, 3, 3], kernel: (2, 2))
        #expect(back.values == [1, 2, 1, 2, 4, 2, 1, 2, 1])
        #expect(throws: CNNError.self) { try cols.col2im(imageShape: [1, 2, 3, 3], kernel: (2, 2)) }
        #expect(throws: CNNError.self) { try cols.col2im(imageShape: [3, 3], kernel: (2, 2)) }
    }
}
