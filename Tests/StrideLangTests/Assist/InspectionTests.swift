import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import Render

/// `explore` and `conv_demo` from the language: what reaches the host, and the errors people meet.
@Suite struct InspectionTests {
    @Test func exploreDisplaysEveryLayerOfAUserLayerToo() throws {
        let h = Harness()
        h.run(
            """
            layer Twice(c) {
                let conv = Conv2d(c, c, kernel: 3, padding: 1)
                func forward(x) { return relu(conv(conv(x))) }
            }
            let m = Sequential(
                Conv2d(1, 2, kernel: 3, stride: 2, padding: 1), Twice(2), Flatten(), Linear(2 * 4 * 4, 3))
            explore(m, randn(1, 1, 8, 8))
            """)
        let b = try #require(h.host.displays.last?.0)
        let html = try #require(b.data["text/html"])
        #expect(html.contains("\"type\":\"Twice\""))
        // the field graph goes with it: the user layer's output reads its convolution's second call
        #expect(html.contains("\"graph\":{\"links\":[") && html.contains("\"node\":"))
        #expect(html.components(separatedBy: "<figcaption>1.conv Conv2d — [1, 2, 4, 4]</figcaption>").count == 3)
        h.run("let big = randn(1, 1, 16, 16)")
        // two 3×3 convolutions on the stem's stride-2 output: rows 2…6 of it, input rows 3…13
        #expect(
            h.value("receptive_field(Sequential(m[0], m[1]), big, at: [1, 4, 4])")
                == "[\"rows\": [3, 13], \"cols\": [3, 13]]")
        #expect(b.data["image/png"] != nil)
        #expect(b.data["text/plain"]?.contains("1 Twice: [1, 2, 4, 4]") == true)
        #expect(h.error("explore(m, randn(1, 3, 8, 8))")?.message.contains("expected 1 input channel,") == true)
        #expect(h.error("explore(m, randn(1, 1, 8, 8), maps: 0)")?.kind == .value)
    }

    @Test func convDemoWithoutArgumentsIsTheLecturesExample() throws {
        let h = Harness()
        h.run("conv_demo()")
        let text = try #require(h.host.displays.last?.0.data["text/plain"])
        #expect(text.contains("output volume o[:, :, 0]:\n  −3 −1 0\n  −1 −8 2\n  3 0 3"))
        #expect(text.contains("output volume o[:, :, 1]:\n  1 4 2\n  −1 4 5\n  3 1 3"))
        // any input: the numbers come from the runtime's convolution
        h.run("conv_demo(ones(1, 4, 4), ones(1, 1, 2, 2), tensor([0.5]), stride: 2)")
        let small = try #require(h.host.displays.last?.0.data["text/plain"])
        #expect(small.contains("4.5 4.5\n  4.5 4.5"))
        #expect(h.error("conv_demo(ones(2, 4, 4), ones(1, 3, 2, 2))")?.message.contains("K×2×kh×kw") == true)
        #expect(h.error("conv_demo(ones(3, 64, 64), ones(1, 3, 3, 3))")?.kind == .value)
        #expect(h.error("conv_demo(ones(1, 4, 4))")?.message.contains("filters w are missing") == true)
    }
}

/// Completion that knows types without running code that has effects.
@Suite struct TypedCompletionTests {
    let h = Harness()

    @Test func callsAndSubscriptsAreTypedFromTheTable() {
        h.run("var calls = 0\nfunc f() { calls += 1\n return randn(2) }")
        h.run("let model = Sequential(Conv2d(3, 8, kernel: 3), ReLU())\nlet conv = model[0]")
        let s = h.session
        #expect(s.complete("randn(2, 3).resh", cursor: 16).matches == ["reshape"])
        let weight = s.complete("conv.weight.", cursor: 12).matches
        #expect(weight.contains("reshape") && weight.contains("grad") && weight.contains("shape"))
        let child = s.complete("model[0].", cursor: 9).matches
        for m in ["weight", "bias", "train", "parameters"] { #expect(child.contains(m), "\(m) not in \(child)") }
        #expect(s.complete("model[1].wei", cursor: 12).matches.isEmpty)  // ReLU has no weight
        #expect(s.complete("Conv2d(3, 8, ker", cursor: 16).matches.first == "kernel:")
        #expect(s.complete("(conv.weight * 2).su", cursor: 20).matches.contains("sum"))
        #expect(s.complete("randn(2, 3).T.sum().ite", cursor: 23).matches == ["item"])
        #expect(s.complete("exp(conv.weight).ite", cursor: 20).matches == ["item"])
        #expect(s.complete("sum([1, 2]).ite", cursor: 15).matches.isEmpty)  // a list's sum is a number
        // a call is typed, never made
        #expect(s.complete("f().", cursor: 4).matches.isEmpty)
        #expect(h.value("calls") == "0")
    }

    @Test func bindingsNotYetRunAndUserLayers() {
        h.run(blockSource)
        let s = h.session
        let code = "let a = randn(4, 4)\nlet b = a.T\nb.sq"
        #expect(s.complete(code, cursor: code.unicodeScalars.count).matches == ["sqrt", "squeeze"])
        let fields = s.complete("Block(3, 8).con", cursor: 15).matches
        #expect(fields == ["conv1", "conv2"])
        #expect(h.error("a")?.kind == .name)
    }

    @Test func inspectShowsAnExpressionsType() {
        h.run("let model = Sequential(Conv2d(3, 8, kernel: 3), ReLU())")
        let s = h.session
        #expect(
            s.inspect("randn(2, 3).reshape(6)", cursor: 22, detail: 0)?.data["text/plain"]
                == "randn(2, 3).reshape(6): Tensor")
        let child = s.inspect("model[0]", cursor: 8, detail: 0)?.data["text/plain"] ?? ""
        #expect(child.hasPrefix("model[0]: Conv2d") && child.contains("parameters: 224"))
        #expect(s.inspect("randn(2).shape", cursor: 14, detail: 0)?.data["text/plain"] == "randn(2).shape: [Int]")
    }
}
