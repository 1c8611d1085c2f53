import Testing
@testable import CNN
@testable import StrideTestSupport

/// Receptive fields through the runtime's layers and blocks, against the support of the input's gradient.
@Suite struct FieldGraphTests {
    @Test func windowsGiveEachOutputRowItsInputRows() {
        let w = SpatialWindow(kernel: IntPair(3), stride: IntPair(2), padding: IntPair(1))
        #expect(w.rows(outputs: 4, inputs: 8) == [0...1, 1...3, 3...5, 5...7])
        // a cell that reads only padding reads nothing
        let wide = SpatialWindow(kernel: IntPair(1), stride: IntPair(1), padding: IntPair(2))
        #expect(wide.cols(outputs: 3, inputs: 1) == [nil, nil, 0...0])
    }

    @Test func supportGradientsSpreadMaxPoolingOverItsWindow() throws {
        let x = try Tensor.randn([1, 1, 6, 6])
        x.requiresGrad = true
        try withSupportGradients {
            let y = try x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)).relu()
            try y.backward(gradient: try Tensor([0, 0, 0, 1, 0, 0, 0, 0, 0], shape: [1, 1, 3, 3]))
        }
        // output (1, 0) reads rows 1…3, columns 0…1, as average pooling would
        let g = try #require(x.grad).values
        let read = g.indices.filter { g[$0] != 0 }.map { ($0 / 6, $0 % 6) }
        #expect(read.map(\.0) == [1, 1, 2, 2, 3, 3] && read.map(\.1) == [0, 1, 0, 1, 0, 1])
    }

    @Test func blocksAgreeWithTheGradient() throws {
        let models: [(String, any Layer, [Int])] = [
            (
                "basic block, stride 2", try ResidualBlock(inChannels: 4, planes: 6, stride: 2, bottleneck: false),
                [1, 4, 11, 11]
            ),
            (
                "grouped bottleneck with SE",
                try ResidualBlock(
                    inChannels: 8, planes: 8, stride: 1, bottleneck: true, groups: 2, widthPerGroup: 16, se: true),
                [1, 8, 7, 7]
            ),
            ("dense block", try DenseBlock(layers: 3, inChannels: 3, growth: 2, bnSize: 1), [1, 3, 9, 9]),
            ("inception", try Inception(3, 2, 2, 2, 1, 2, 1), [1, 3, 9, 9]),
            (
                "stem",
                Sequential([
                    try Conv2d(2, 4, kernel: IntPair(3), stride: IntPair(2), groups: 2), try LocalResponseNorm(3),
                    try MaxPool2d(IntPair(3), stride: IntPair(2), ceilMode: true), AdaptiveAvgPool2d(IntPair(2)),
                ]),
                [1, 2, 21, 21]
            ),
        ]
        for (label, model, shape) in models {
            let n = try FieldOracle.check(model, try Tensor.randn(shape), label)
            #expect(n > 10, "\(label)")
        }
    }

    @Test func measuringLeavesTheModelAsItWas() throws {
        let block = try ResidualBlock(inChannels: 4, planes: 8, stride: 2, bottleneck: false)
        block.train()
        let x = try Tensor.randn([2, 4, 8, 8])
        let (trace, _) = try block.tracedActivations(for: x)
        let before = block.allLayers.compactMap { ($0.1 as? BatchNorm2d)?.runningMean.values }
        let calls = trace.callsMade[0].map { trace.calls[$0] }
        // the block's own code, measured: the second convolution reads the first norm's output cell by cell
        let flow = try #require(
            FieldProbe.measure(
                block, input: x, calls: calls, needsInput: calls.map { _ in true }, needsOutput: true))
        #expect(flow.inputs[2]?.map(\.source) == [.call(1)])
        #expect(flow.inputs[2]?.first?.map == .offset(0))
        #expect(Set(flow.output?.map(\.source) ?? []) == [.call(3), .call(4)])
        #expect(block.allLayers.allSatisfy { $0.1.isTraining })
        #expect(block.allLayers.compactMap { ($0.1 as? BatchNorm2d)?.runningMean.values } == before)
    }
}
