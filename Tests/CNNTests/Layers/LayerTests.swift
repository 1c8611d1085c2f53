import Testing
@testable import CNN
@testable import StrideTestSupport

@Suite struct LayerTests {
    @Test func parametersStateDictAndOutputs() throws {
        let m = try smallNet()
        #expect(m.stateDict.map { $0.0 } == ["0.weight", "0.bias", "4.weight", "4.bias"])
        #expect(m.parameterCount == 4 * 9 + 4 + 64 * 3 + 3)
        let y = try m(Tensor.randn([2, 1, 8, 8]))
        #expect(y.shape == [2, 3])
        #expect(m.layers[2].output?.shape == [2, 4, 4, 4])
        #expect(m.layers[2].output?.requiresGrad == false)
        #expect(m.treeDescription.contains("(0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"))
    }

    @Test func conv2dNamesTheChannelMismatch() throws {
        let c = try Conv2d(3, 8, kernel: IntPair(3))
        #expect(throws: CNNError.shape("Conv2d expected 3 input channels, got 1 (input [1, 1, 28, 28])")) {
            try c(Tensor.zeros([1, 1, 28, 28]))
        }
        let l = try Linear(256, 10)
        #expect(throws: CNNError.shape("Linear expected 256 input features, got 400 (input [64, 400])")) {
            try l(Tensor.zeros([64, 400]))
        }
    }

    @Test func batchNormTracksRunningStatistics() throws {
        let bn = try BatchNorm2d(2)
        let x = try Tensor.randn([4, 2, 3, 3]) * 3 + 5
        let y = try bn(x)
        expectClose(try y.mean(dims: [0, 2, 3]), [0, 0], atol: 1e-5)
        #expect(bn.runningMean.values.allSatisfy { $0 > 0.2 })
        bn.eval()
        _ = try bn(x)
        #expect(bn.numBatchesTracked.values == [1])
        #expect(bn.stateDict.map { $0.0 } == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
    }

    @Test func containersCompose() throws {
        let res = Residual(Sequential([try Conv2d(4, 4, kernel: IntPair(3), padding: IntPair(1))]), relu: true)
        let cat = Concat([try Conv2d(4, 2, kernel: IntPair(1)), try Conv2d(4, 3, kernel: IntPair(1))])
        let se = try SqueezeExcite(5, reduction: 2)
        let y = try se(cat(res(Tensor.randn([1, 4, 6, 6]))))
        #expect(y.shape == [1, 5, 6, 6])
        let lrn = try LocalResponseNorm(3)
        #expect(try lrn(y).shape == y.shape)
        let pr = try PReLU(5)
        #expect(try pr(y).shape == y.shape)
        let mo = try Maxout(10, 4, pieces: 3)
        #expect(try mo(Tensor.randn([2, 10])).shape == [2, 4])
    }

    @Test func trainingLoopKeepsMemoryFlat() throws {
        let budget = MemoryBudget(limit: 1 << 30)
        try MemoryBudget.$current.withValue(budget) {
            let m = try smallNet()
            let opt = try SGD(m.parameters, lr: 0.01)
            let x = try Tensor.randn([16, 1, 8, 8]), y = try Tensor.zeros([16])
            func step() throws { opt.zeroGrad(); let l = try crossEntropy(m(x), y); try l.backward(); try opt.step() }
            for _ in 0..<20 { try step() }
            let before = budget.inUse
            for _ in 0..<1000 { try step() }
            #expect(
                budget.inUse <= before, "tensor memory grew from \(before) to \(budget.inUse) bytes over 1000 steps")
        }
    }
}
