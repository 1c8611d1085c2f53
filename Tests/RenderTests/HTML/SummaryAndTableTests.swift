import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

@Suite struct SummaryAndTableTests {
    @Test func summaryTotalsMatchParameterCounts() throws {
        let lenet = try ModelSummary(model: try LeNet5(), input: [1, 1, 32, 32])
        #expect(lenet.totalParams == 61_706 && lenet.text.contains("Total params: 61,706"))
        #expect(lenet.rows.contains { $0.type == "Conv2d" && $0.outputShape == [1, 6, 28, 28] })
        let r18 = try ModelSummary(model: try ResNet18(), input: nil)
        #expect(r18.totalParams == 11_689_512 && r18.html.contains("11,689,512"))
    }

    @Test func summaryDrawsTheTreeWhateverTheTableStyle() throws {
        let block = Sequential([try Conv2d(4, 4, kernel: IntPair(3)), Activation(.relu)], names: ["conv", "relu"])
        let model = Sequential([try Conv2d(1, 4, kernel: IntPair(3)), block, Flatten()])
        let s = try ModelSummary(model: model, input: [1, 1, 9, 9])
        // children under their parent, with file-tree guides, in the text and the HTML
        #expect(s.treePrefixes == ["", "├─ ", "├─ ", "│  ├─ ", "│  └─ ", "└─ "])
        #expect(s.text.contains("│  ├─ conv: Conv2d") && s.text.contains("└─ 2: Flatten"))
        // every cell says its alignment (JupyterLab right-aligns table cells): names and shapes left, counts
        // right, and each header as its column
        let html = s.html
        let nameCells = html.components(separatedBy: "class=\"stride-summary-name\" style=\"").dropFirst()
        #expect(nameCells.count == 6 && nameCells.allSatisfy { $0.prefix(100).contains("text-align: left") })
        #expect(nameCells.allSatisfy { $0.prefix(100).contains("white-space: pre") })
        #expect(
            html.contains("text-align: left\">Layer (type)</th>") && html.contains("text-align: right\">Param #</th>"))
        #expect(html.contains("<span style=\"color: #999\">│  └─ </span>relu: ReLU"))
    }

    @Test func smallTensorsBecomePerChannelTables() throws {
        let html = try TensorHTML.render(try Tensor.arange(0, 18).reshaped([2, 3, 3]))
        #expect(html.components(separatedBy: "<table").count - 1 == 2)
        #expect(html.contains("<caption style=\"text-align: left\">[1, :, :]</caption>"))
        let big = try TensorHTML.render(try Tensor.randn([8, 32, 32]))
        #expect(big.contains("<img") && big.contains("mean"))
    }
}
