import Testing
@testable import CNN
@testable import StrideTestSupport

/// SGD, Adam: they reduce a loss, and SGD's update is PyTorch's, number for number.
@Suite struct OptimizerTests {
    @Test func sgdAndAdamReduceTheLoss() throws {
        for useAdam in [false, true] {
            try GlobalRandom.$current.withValue(RandomSource(seed: 1)) {
                let m = try smallNet()
                let x = try Tensor.randn([8, 1, 8, 8]), y = try Tensor([0, 1, 2, 0, 1, 2, 0, 1], shape: [8])
                let opt: any Optimizer =
                    useAdam
                    ? try Adam(m.parameters, lr: 0.01) : try SGD(m.parameters, lr: 0.1, momentum: 0.9, nesterov: true)
                let first = try crossEntropy(m(x), y).item()
                for _ in 0..<30 { opt.zeroGrad(); let l = try crossEntropy(m(x), y); try l.backward(); try opt.step() }
                let last = try crossEntropy(m(x), y).item()
                #expect(last < first * 0.5, "loss \(first) → \(last)")
            }
        }
    }

    @Test func sgdMatchesPyTorchsUpdateByHand() throws {
        let p = try Tensor([1.0], shape: [1]); p.requiresGrad = true
        let opt = try SGD([p], lr: 0.1, momentum: 0.9, weightDecay: 0.01)
        p.grad = try Tensor([0.5], shape: [1]); try opt.step()  // v = 0.5 + 0.01 = 0.51
        expectClose(p, [1 - 0.051])
        p.grad = try Tensor([0.5], shape: [1]); try opt.step()  // v = 0.9*0.51 + 0.5 + 0.00949 = 0.96849
        expectClose(p, [0.949 - 0.096849], atol: 1e-6)
    }
}
