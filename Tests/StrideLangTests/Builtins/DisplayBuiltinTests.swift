import Testing
import Foundation
import Render
@testable import StrideLang
@testable import StrideTestSupport

/// Pictures a student reads at a glance: labelled captions, class names, one legend style.
@Suite struct DisplayBuiltinTests {
    @Test func dataSetsCarryTheirClassNames() {
        let h = Harness()
        h.run("let data = shapes(8, seed: 0)")
        #expect(h.value("data.classes") == "[\"circle\", \"square\", \"triangle\", \"cross\"]")
        // still an (images, labels) pair
        #expect(h.value("let (x, y) = data\ny.shape") == "[8]")
        #expect(h.error("data.clases")?.message.contains("did you mean 'classes'") == true)
    }

    @Test func captionsFromLabelsNameTheClassesAndMarkMistakes() throws {
        let h = Harness()
        h.run("let (x, _) = shapes(4, seed: 0)\nlet names = shapes(1).classes\nlet y = tensor([0, 1, 2, 3])")
        h.run("show(x, captions: y, classes: names)")
        let html = try #require(h.host.displays.last?.0.data["text/html"])
        for n in ["circle", "square", "triangle", "cross"] { #expect(html.contains(">\(n)</figcaption>")) }
        // predictions against the truth: the two wrong ones red, with the true class
        h.run("show(x, captions: tensor([0, 0, 0, 3]), truth: y, classes: names)")
        let marked = try #require(h.host.displays.last?.0)
        let text = try #require(marked.data["text/plain"])
        #expect(text.contains("[1] circle (true: square)  ✗") && text.contains("[3] cross\n") == false)
        #expect(text.components(separatedBy: "✗").count - 1 == 2)
        let page = try #require(marked.data["text/html"])
        #expect(page.components(separatedBy: "data-correct=\"false\"").count - 1 == 2)
        #expect(page.contains("data-correct=\"true\">cross</figcaption>"))
        // scores are read as their argmax
        h.run("show(x, captions: eye(4), classes: names)")
        #expect(h.host.displays.last?.0.data["text/plain"]?.contains("[3] cross") == true)
        #expect(
            h.error("show(x, captions: tensor([0, 9, 1, 1]), classes: names)")?.message.contains("label 9.0") == true)
    }

    @Test func showOfAModelLabelsItsClassesAndNamesItOnce() throws {
        let h = Harness()
        h.run(
            """
            layer Tiny(c) {
                let conv = Conv2d(1, c, kernel: 3)
                let fc = Linear(c * 4 * 4, 3)
                func forward(x) { return fc(relu(conv(x)).flatten(start: 1)) }
            }
            show(Tiny(2), randn(1, 1, 6, 6), classes: ["cat", "dog", "fox"])
            """)
        let b = try #require(h.host.displays.last?.0)
        let html = try #require(b.data["text/html"])
        #expect(!html.contains("Tiny Tiny"))
        #expect(html.contains("<th style=\"padding: 2px 6px; text-align: center\">dog</th>"))
        #expect(b.data["text/plain"]?.contains("(highest: ") == true)
        // legends: min, max (and 0 when diverging), three significant digits
        #expect(html.contains("class=\"stride-legend\""))
    }
}
