import Testing
@testable import StrideLang
@testable import StrideTestSupport

/// Errors inside a `Sequential` name the stage that failed, under the name the model was called by.
@Suite struct StageErrorTests {
    func report(_ h: Harness, _ code: String) -> String {
        guard let e = h.error(code) else { return "" }
        return h.session.render(e)
    }

    @Test func theFailingStageIsNamed() {
        let h = Harness()
        h.run(
            """
            layer ConvBlock(cin, cout) {
                let conv = Conv2d(cin, cout, kernel: 3)
                func forward(x) { return relu(conv(x)) + ones(1, 1, 2, 2) }
            }
            let model = Sequential(Conv2d(1, 4, kernel: 3), ReLU(), MaxPool2d(2), Flatten(), Linear(112, 4))
            let nested = Sequential(Sequential(Conv2d(1, 2, kernel: 3), ConvBlock(2, 2)), Flatten())
            let x = randn(2, 1, 16, 16)
            """)
        let linear = report(h, "model(x)")
        #expect(linear.contains("in model[4] (Linear(in_features=112, out_features=4, bias=True))\n"))
        // a user layer inside nested containers: the path through both, and the user layer's own line
        let block = report(h, "let y = nested(x)")
        #expect(block.contains("in nested[0][1] (ConvBlock), input [2, 2, 14, 14]"), "\(block)")
        #expect(block.contains("relu(conv(x)) + ones(1, 1, 2, 2)"))
        // one image without its batch dimension: how to keep it
        let image = report(h, "model(x[0])")
        #expect(image.contains("in model[0] (Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1)))"))
        #expect(image.contains("x[0:1] or x.unsqueeze(0) keeps it"))
    }
}
