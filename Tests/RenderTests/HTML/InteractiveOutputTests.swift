import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

/// `explore(model, x)` and `conv_demo`: self-contained interactive outputs with fallbacks.
@Suite struct InteractiveOutputTests {
    @Test func explorerCarriesEveryLayerItsWindowsAndFallbacks() throws {
        let m = Sequential([
            try Conv2d(1, 3, kernel: IntPair(3), stride: IntPair(2), padding: IntPair(1)), Activation(.relu),
            Flatten(), try Linear(3 * 4 * 4, 5),
        ])
        let x = try Tensor.randn([2, 1, 8, 8])
        let (trace, acts) = try m.tracedActivations(for: x)
        let graph = try FieldGraph(trace: trace, input: x)
        let sections =
            [ExplorerSection(name: "input", typeName: "input", tensor: x, node: 0)]
            + acts.map {
                ExplorerSection(name: $0.name, typeName: $0.typeName, tensor: $0.output, node: graph.callNodes[$0.call])
            }
        let b = try ActivationExplorer.bundle(sections, fields: graph)
        let html = try #require(b.data["text/html"])
        _ = try decodePNG(try #require(Data(base64Encoded: b.data["image/png"] ?? "")))
        #expect(html.contains("<script>") && !html.contains("src=\"http") && !html.contains("__DATA__"))
        // the still picture (an untrusted notebook): each layer's name, shape and legend, and how to go live
        #expect(html.contains("<figcaption>0 Conv2d — [2, 3, 4, 4]</figcaption>"))
        #expect(html.contains("<figcaption>3 Linear — [2, 5]</figcaption>"))
        #expect(html.components(separatedBy: "class=\"stride-legend\"").count - 1 == 5)
        #expect(html.contains("class=\"stride-explore-trust\"") && html.contains("Trust Notebook"))
        // the data: one section per layer plus the input, windows where cells read a window
        let start = try #require(html.range(of: "var D = "))
        let end = try #require(html.range(of: ";\n", range: start.upperBound..<html.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        let secs = try #require((json as? [String: Any])?["sections"] as? [[String: Any]])
        #expect(secs.map { $0["name"] as? String } == ["input", "0", "1", "2", "3"])
        #expect(secs.map { $0["node"] as? Int } == [0, 1, 2, 3, 4])
        // the graph: each layer's output reads the one before; the convolution's rows by its window
        let graphJSON = try #require((json as? [String: Any])?["graph"] as? [String: Any])
        let links = try #require(graphJSON["links"] as? [[String: Any]])
        #expect(links.map { [$0["t"] as? Int, $0["s"] as? Int] } == [[1, 0], [2, 1], [3, 2], [4, 3]])
        #expect(links[0]["r"] as? [Int] == [0, 1, 1, 3, 3, 5, 5, 7])
        #expect(links[0]["m"] as? [String] == ["all"] && (links[1]["m"] as? [Any])?.last as? Int == 0)
        #expect(links[2]["r"] == nil && links[3]["r"] == nil)
        #expect(secs[3]["flat"] as? Bool == true && secs[3]["count"] as? Int == 48)
        // image 0's values, exactly, as little-endian Float32
        let data = try #require(Data(base64Encoded: secs[1]["data"] as? String ?? ""))
        let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let expected = try m.activations(for: x)[0].output.index([.index(0)]).values.map { Float($0) }
        #expect(floats == expected)
        #expect(b.data["text/plain"]?.contains("3 Linear: [2, 5]") == true)
    }

    @Test func convDemoShowsTheLecturesOutputVolume() throws {
        let (x, w, b) = try LectureExample.tensors(dtype: .float64)
        let y = try x.conv2d(w, bias: b, Conv2dOptions(stride: 2, padding: 1))
        var padded = [Double](repeating: 0, count: 3 * 49)
        for c in 0..<3 {
            for r in 0..<5 { for q in 0..<5 { padded[(c * 7 + r + 1) * 7 + q + 1] = x.values[(c * 5 + r) * 5 + q] } }
        }
        let bundle = try ConvDemo.bundle(
            ConvDemo.Volume(
                input: try Tensor(padded, shape: [3, 7, 7], dtype: .float64), padding: IntPair(1), weight: w,
                bias: b.values, output: try y.index([.index(0)]), stride: IntPair(2)))
        let text = try #require(bundle.data["text/plain"])
        #expect(text.contains("−3 −1 0\n  −1 −8 2\n  3 0 3"))
        #expect(text.contains("1 4 2\n  −1 4 5\n  3 1 3"))
        let html = try #require(bundle.data["text/html"])
        #expect(html.components(separatedBy: "class=\"stride-conv-x\"").count - 1 == 3)
        #expect(html.components(separatedBy: "class=\"stride-conv-w\"").count - 1 == 6)
        #expect(html.components(separatedBy: "class=\"stride-conv-o\"").count - 1 == 2)
        #expect(html.contains("output volume 2×3×3"))
    }
}
