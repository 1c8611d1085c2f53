import Testing
import Foundation
@testable import Render
@testable import CNN

@Suite struct ConfusionTableTests {
    /// 3 circles (2 right, 1 called a cross), 1 square (right), 2 crosses (1 right, 1 called a square).
    func sample() throws -> ConfusionMatrix {
        let logits = try Tensor(
            [5, 0, 0, 5, 0, 0, 0, 0, 5, 0, 5, 0, 0, 0, 5, 0, 5, 0], shape: [6, 3])
        return try ConfusionMatrix(
            logits: logits, labels: try Tensor([0, 0, 0, 1, 2, 2], shape: [6]), classes: ["circle", "square", "cross"])
    }

    @Test func countsTotalsAndAccuracies() throws {
        let cm = try sample()
        #expect(cm.counts == [[2, 0, 1], [0, 1, 0], [0, 1, 1]])
        #expect(cm.totals == [3, 1, 2] && cm.correct == 4 && cm.accuracy == 4.0 / 6)
        #expect(cm.perClass == [2.0 / 3, 1, 0.5])
        #expect(throws: CNNError.self) {
            try ConfusionMatrix(
                logits: try Tensor.zeros([2, 3]), labels: try Tensor([0, 1], shape: [2]), classes: ["a"])
        }
    }

    @Test func theHeatMapIsLabelled() throws {
        let html = ConfusionTable.html(try sample())
        // axes, class names as column and row headers, counts in the cells, totals and accuracies
        #expect(html.contains(">true \\ predicted</th>"))
        #expect(html.components(separatedBy: "scope=\"col\">circle</th>").count == 2)
        #expect(html.contains("scope=\"row\">cross</th>"))
        #expect(html.contains("data-true=\"0\" data-predicted=\"2\">1</td>"))
        #expect(html.contains(">total</th>") && html.contains(">66.7%</td>") && html.contains(">50.0%</td>"))
        #expect(html.contains("accuracy 66.7% (4 of 6)"))
        // a class's mistakes are coloured by their share of its row: the cross row's two cells alike
        let cells = html.components(separatedBy: "<td style=\"").dropFirst()
        let crossRow = cells.filter { $0.contains("data-true=\"2\"") && !$0.contains("data-predicted=\"2\"") }
        #expect(crossRow.contains { $0.contains("rgb(") && $0.contains(">1</td>") })
        let text = ConfusionTable.text(try sample())
        #expect(text.contains("true \\ predicted  circle  square  cross │ total  accuracy"))
        #expect(text.contains("circle                 2       0      1 │     3     66.7%"))
    }
}
