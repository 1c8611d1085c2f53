import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

@Suite struct OpsTests {
    @Test func broadcastingArithmetic() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([10, 20, 30], shape: [3])
        #expect(try (a + b).values == [11, 22, 33, 14, 25, 36])
        #expect(try (a * Tensor([2, 3], shape: [2, 1])).values == [2, 4, 6, 12, 15, 18])
        #expect(try (1 - a).values == [0, -1, -2, -3, -4, -5])
        #expect(throws: CNNError.self) { try a + Tensor([1, 2], shape: [2]) }
    }

    @Test func reductionsWithDimAndKeepdim() throws {
        let a = try Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
        #expect(try a.sum().item() == 21)
        #expect(try a.sum(dim: 0).values == [5, 7, 9])
        #expect(try a.sum(dim: 1, keepdim: true).shape == [2, 1])
        #expect(try a.mean(dim: 1).values == [3, 4])
        #expect(try a.max(dim: 1).values == [5, 6])
        #expect(try a.min().item() == 1)
        #expect(try a.argmax(dim: 1).values == [1, 2])
        #expect(try a.argmax().item() == 5)
        expectClose(try a.std(), [1.8708286933869707])
    }

    @Test func slicingLikeNumpy() throws {
        let x = try Tensor.arange(0, 24).reshaped([2, 3, 4])
        #expect(try x.index([.index(-1), .index(0)]).values == [12, 13, 14, 15])
        #expect(try x.index([.all, .all, .index(0)]).values == [0, 4, 8, 12, 16, 20])
        #expect(try x.index([.ellipsis, .slice(start: nil, stop: nil, step: 2)]).shape == [2, 3, 2])
        #expect(try x.index([.index(0), .index(0), .slice(start: nil, stop: nil, step: -1)]).values == [3, 2, 1, 0])
        #expect(try x.index([.index(0), .slice(start: 1, stop: 100, step: 1), .index(1)]).values == [5, 9])
        #expect(throws: CNNError.self) { try x.index([.index(2)]) }
        let y = try Tensor.zeros([2, 2])
        try y.setIndex([.index(0), .index(1)], Tensor(scalar: 5))
        #expect(y.values == [0, 5, 0, 0])
    }

    @Test func matmulThroughBLAS() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([7, 8, 9, 10, 11, 12], shape: [3, 2])
        #expect(try a.matmul(b).values == [58, 64, 139, 154])
        #expect(throws: CNNError.self) { try a.matmul(a) }
    }

    /// Products large enough to be split across cores (by columns when n ≥ m, else by rows), with every
    /// transpose combination and beta ≠ 0, against a plain triple loop.
    @Test(
        arguments: [(64, 300, 80), (300, 40, 100), (70, 530, 40)],
        [(false, false), (true, false), (false, true), (true, true)])
    func splitGEMMMatchesLoops(_ size: (Int, Int, Int), _ trans: (Bool, Bool)) throws {
        let (m, n, k) = size, (ta, tb) = trans
        #expect(m * n * k >= GEMM.smallProduct)
        let a = try sample(ta ? [k, m] : [m, k], seed: 11).values,
            b = try sample(tb ? [n, k] : [k, n], seed: 12).values
        var c = try sample([m, n], seed: 13).values
        var expected = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]) }
                expected[i * n + j] = 2 * s + 0.5 * expected[i * n + j]
            }
        }
        try a.withUnsafeBufferPointer { ap in
            try b.withUnsafeBufferPointer { bp in
                try c.withUnsafeMutableBufferPointer { cp in
                    try Double.gemm(
                        transA: ta, transB: tb, m: m, n: n, k: k, alpha: 2, a: ap.baseAddress!, lda: ta ? m : k,
                        b: bp.baseAddress!, ldb: tb ? k : n, beta: 0.5, c: cp.baseAddress!, ldc: n)
                }
            }
        }
        expectClose(try Tensor(c, shape: [m, n], dtype: .float64), expected, atol: 1e-9)
    }

    /// Groups 6 (depthwise: the direct kernel; same-size ones flat, tap by tap) with strides, padding and dilation,
    /// beside the im2col path.
    @Test(arguments: [
        (1, 0, 1, 1), (2, 1, 1, 1), (2, 2, 2, 1), (1, 1, 1, 2), (3, 0, 1, 3), (1, 1, 1, 6), (2, 2, 2, 6), (1, 2, 2, 6),
        (1, 0, 1, 6),
    ])
    func convolutionMatchesDirectLoops(_ cfg: (Int, Int, Int, Int)) throws {
        let (stride, pad, dilation, groups) = cfg
        let x = try sample([2, 6, 9, 8], seed: 3), w = try sample([6, 6 / groups, 3, 3], seed: 4),
            b = try sample([6], seed: 5)
        let y = try x.conv2d(
            w, bias: b,
            Conv2dOptions(stride: (stride, stride), padding: (pad, pad), dilation: (dilation, dilation), groups: groups)
        )
        expectClose(y, naiveConv(x, w, b, stride: stride, pad: pad, dilation: dilation, groups: groups), atol: 1e-10)
    }

    /// A batch large enough for one image per core (ConvPlan's per-image path, forced for small maps) gives the
    /// same output and gradients as the images one at a time (the batched path): outputs and input gradients image by
    /// image, weight and bias gradients summed.
    @Test(arguments: [(1, 1, 1, 1, 3), (2, 0, 1, 2, 3), (1, 2, 2, 1, 3), (1, 0, 1, 1, 1), (3, 1, 1, 3, 2)])
    func convolutionPathsAgree(_ cfg: (Int, Int, Int, Int, Int)) throws {
        let (stride, pad, dilation, groups, kernel) = cfg
        let n = 2 * Parallel.cores + 1
        let opt = Conv2dOptions(
            stride: (stride, stride), padding: (pad, pad), dilation: (dilation, dilation), groups: groups)
        let x = try sample([n, 6, 9, 8], seed: 7), w = try sample([6, 6 / groups, kernel, kernel], seed: 8),
            b = try sample([6], seed: 9)
        let up = try sample(
            [
                n, 6, ConvGeometry.out(9, kernel, stride, pad, dilation, false),
                ConvGeometry.out(8, kernel, stride, pad, dilation, false),
            ], seed: 10)
        for t in [x, w, b] { t.requiresGrad = true }
        // the per-image path even for these small maps (the plan it makes serves the backward pass too)
        let y = try ConvPlan.$minPerImageColumns.withValue(1) { try x.conv2d(w, bias: b, opt) }
        try y.backward(gradient: up)
        let (gx, gw, gb) = (try #require(x.grad), try #require(w.grad), try #require(b.grad))
        var gwSum = [Double](repeating: 0, count: w.count), gbSum = [Double](repeating: 0, count: 6)
        for i in 0..<n {
            let xi = try x.detach().index([.slice(start: i, stop: i + 1, step: 1)])
            xi.requiresGrad = true; w.grad = nil; b.grad = nil
            let yi = try xi.conv2d(w, bias: b, opt)
            try yi.backward(gradient: up.index([.slice(start: i, stop: i + 1, step: 1)]))
            expectClose(try y.index([.index(i)]), yi.values, atol: 1e-12)
            expectClose(try gx.index([.index(i)]), try #require(xi.grad).values, atol: 1e-12)
            for (j, v) in try #require(w.grad).values.enumerated() { gwSum[j] += v }
            for (j, v) in try #require(b.grad).values.enumerated() { gbSum[j] += v }
        }
        expectClose(gw, gwSum, atol: 1e-10)
        expectClose(gb, gbSum, atol: 1e-10)
    }

    @Test func maxPoolBackwardGoesOnlyToTheMaximum() throws {
        let x = try Tensor(
            [
                1, 3, 2, 9,
                4, 2, 8, 1,
                5, 5, 0, 0,
                1, 2, 0, 7,
            ], shape: [1, 1, 4, 4])
        x.requiresGrad = true
        let y = try x.maxPool2d(kernel: (2, 2))
        #expect(y.values == [4, 9, 5, 7])
        try y.backward(gradient: Tensor([10, 20, 30, 40], shape: [1, 1, 2, 2]))
        // ties (5, 5) go to the first in row-major order
        #expect(x.grad?.values == [0, 0, 0, 20, 10, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 40])
    }

    @Test func poolingWindowThatDoesNotFitNamesTheArithmetic() throws {
        #expect(throws: CNNError.shape("max_pool2d: a 5x5 window does not fit a 3x3 input: (3 - 5)/1 + 1 = -1")) {
            try Tensor.zeros([1, 1, 3, 3]).maxPool2d(kernel: (5, 5), stride: (1, 1))
        }
    }

    @Test func softmaxCrossEntropyAndHingeByHand() throws {
        let s = try Tensor([3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1], shape: [3, 3])
        let y = try Tensor([0, 1, 2], shape: [3])
        // CS231n's example: hinge losses 2.9, 0, 12.9 → mean 5.27
        expectClose(try hingeLoss(s, y), [5.266666666666667], atol: 1e-5)
        let p = try s.softmax(dim: 1)
        expectClose(try p.sum(dim: 1), [1, 1, 1])
        let manual =
            -(log(exp(3.2) / (exp(3.2) + exp(5.1) + exp(-1.7))) + log(exp(4.9) / (exp(1.3) + exp(4.9) + exp(2.0)))
            + log(exp(-3.1) / (exp(2.2) + exp(2.5) + exp(-3.1)))) / 3
        expectClose(try crossEntropy(s, y), [manual], atol: 1e-5)
    }

    @Test func activationValues() throws {
        let x = try Tensor([-2, -0.5, 0, 1.5], shape: [4])
        #expect(try x.relu().values == [0, 0, 0, 1.5])
        expectClose(try x.leakyRelu(), [-0.2, -0.05, 0, 1.5])
        expectClose(try x.elu(), [exp(-2) - 1, exp(-0.5) - 1, 0, 1.5])
        expectClose(try x.sigmoid(), [1 / (1 + exp(2)), 1 / (1 + exp(0.5)), 0.5, 1 / (1 + exp(-1.5))])
        expectClose(try maxout(Tensor([1, 4, 3, 2], shape: [1, 4]), pieces: 2), [4, 3])
    }

    @Test func autogradAccumulatesAndReleasesTheGraph() throws {
        let w = try Tensor([2], shape: [1]); w.requiresGrad = true
        let y = try (w * w * 3).sum()
        try y.backward()
        #expect(w.grad?.values == [12])
        let y2 = try (w * 1).sum()
        try y2.backward()
        #expect(w.grad?.values == [13])  // accumulated
        // the saved tensors are freed (the products'); the sum saved nothing, so its node stays, as in PyTorch
        #expect(y.node?.isFreed == false)
        #expect(y.node?.inputs.first?.node?.isFreed == true)
        #expect(throws: CNNError.self) { try y.backward() }  // a second backward through it raises
        #expect(throws: CNNError.self) { try Tensor.zeros([2]).backward() }
        let z = try w * Tensor([1, 2], shape: [2])
        #expect(throws: CNNError.self) { try z.backward() }  // non-scalar needs a gradient
        try z.backward(gradient: Tensor([1, 1], shape: [2]))
        #expect(w.grad?.values == [16])
        let nog = try withNoGrad { try w * 2 }
        #expect(!nog.requiresGrad)
    }

    @Test func dtypeConversionPassesGradientsThrough() throws {
        let x = try Tensor([1.5, -2], shape: [2]); x.requiresGrad = true
        let y = try x.to(.float64) * Tensor([3, 4], shape: [2], dtype: .float64)
        #expect(y.dtype == .float64)
        try y.sum().backward()
        #expect(x.grad?.dtype == .float32 && x.grad?.values == [3, 4])
    }

    @Test func memoryLimitThrowsBeforeAllocating() throws {
        let budget = MemoryBudget(limit: 1 << 20)
        try MemoryBudget.$current.withValue(budget) {
            #expect(throws: CNNError.self) { try Tensor.zeros([1024, 1024]) }
            var t: Tensor? = try Tensor.zeros([256, 256])
            #expect(budget.inUse == 256 * 256 * 4)
            t = nil
            #expect(budget.inUse == 0 && t == nil)
        }
    }

    @Test func seededRandomnessIsReproducible() throws {
        let (a, b) = try GlobalRandom.$current.withValue(RandomSource()) {
            GlobalRandom.seed(42); let a = try Tensor.randn([5])
            GlobalRandom.seed(42); let b = try Tensor.randn([5])
            return (a, b)
        }
        #expect(a.values == b.values)
        var r = RandomGenerator(seed: 1)
        let u = (0..<10000).map { _ in r.uniform() }
        #expect(Swift.abs(u.reduce(0, +) / 10000 - 0.5) < 0.02)
    }

    /// Depthwise (the padded, register-blocked kernels: eight cells per step and a scalar tail; strided columns
    /// split into phases) beside each channel convolved on its own by the im2col path: outputs and all three
    /// gradients, in Float32 and Float64, for kernels square and not, padding from none to more than the
    /// kernel, dilation, and strides 1 to 3 (different along each axis).
    @Test(arguments: [
        (3, 3, 1, 1, 1, 1, 1), (3, 3, 0, 0, 1, 1, 1), (2, 4, 0, 2, 1, 1, 1), (3, 3, 2, 3, 2, 1, 1),
        (1, 1, 0, 0, 1, 1, 1), (3, 5, 4, 1, 1, 1, 1), (3, 3, 1, 1, 1, 2, 2), (5, 3, 2, 1, 1, 2, 3),
        (3, 3, 2, 2, 2, 3, 2), (1, 1, 0, 0, 1, 2, 2), (1, 1, 0, 1, 1, 1, 3),
    ])
    func depthwiseMatchesPerChannelConvolutions(_ cfg: (Int, Int, Int, Int, Int, Int, Int)) throws {
        let (kh, kw, ph, pw, dil, sh, sw) = cfg
        for dtype in [DType.float32, .float64] {
            let x = try sample([2, 3, 5, 21], seed: 11).to(dtype), w = try sample([3, 1, kh, kw], seed: 12).to(dtype)
            let b = try sample([3], seed: 13).to(dtype)
            for t in [x, w, b] { t.requiresGrad = true }
            let opt = Conv2dOptions(stride: (sh, sw), padding: (ph, pw), dilation: (dil, dil), groups: 3)
            let y = try x.conv2d(w, bias: b, opt)
            let up = try sample(y.shape, seed: 14).to(dtype)
            try y.backward(gradient: up)
            let (gx, gw, gb) = (try #require(x.grad), try #require(w.grad), try #require(b.grad))
            let tol = dtype == .float32 ? 1e-4 : 1e-11
            for c in 0..<3 {
                let channel = IndexItem.slice(start: c, stop: c + 1, step: 1),
                    all = IndexItem.slice(start: nil, stop: nil, step: nil)
                let xc = try x.detach().index([all, channel]), wc = try w.detach().index([channel])
                let bc = try b.detach().index([channel])
                for t in [xc, wc, bc] { t.requiresGrad = true }
                let yc = try xc.conv2d(
                    wc, bias: bc, Conv2dOptions(stride: (sh, sw), padding: (ph, pw), dilation: (dil, dil)))
                try yc.backward(gradient: up.index([all, channel]))
                expectClose(try y.index([all, channel]), yc.values, atol: tol, rtol: tol)
                expectClose(try gx.index([all, channel]), try #require(xc.grad).values, atol: tol, rtol: tol)
                expectClose(try gw.index([channel]), try #require(wc.grad).values, atol: tol, rtol: tol)
                expectClose(try gb.index([channel]), try #require(bc.grad).values, atol: tol, rtol: tol)
            }
        }
    }
}

@Suite struct FastKernelTests {
    @Test func float32TanhAndSigmoidStayWithinAFewUlp() throws {
        let xs = try Tensor.linspace(-12, 12, 24001)
        let t = try xs.tanh(), s = try xs.sigmoid()
        var worstT = 0.0, worstS = 0.0
        for i in 0..<xs.count {
            let x = Double(xs.storage.pointer(Float.self)[i])
            worstT = Swift.max(worstT, Swift.abs(Double(t.storage.pointer(Float.self)[i]) - Foundation.tanh(x)))
            worstS = Swift.max(
                worstS, Swift.abs(Double(s.storage.pointer(Float.self)[i]) - 1 / (1 + Foundation.exp(-x))))
        }
        #expect(worstT < 5e-7, "tanh error \(worstT)")
        #expect(worstS < 5e-7, "sigmoid error \(worstS)")
    }

    @Test func largeElementwiseOpsSplitAcrossCoresGiveTheSameValues() throws {
        let x = try Tensor.randn([300_000])
        let r = try x.relu(), lr = try x.leakyRelu(slope: 0.2)
        for i in stride(from: 0, to: x.count, by: 997) {
            let v = x.storage.pointer(Float.self)[i]
            #expect(r.storage.pointer(Float.self)[i] == Swift.max(v, 0))
            #expect(lr.storage.pointer(Float.self)[i] == (v > 0 ? v : 0.2 * v))
        }
    }
}
