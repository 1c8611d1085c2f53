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

    @Test func smallTensorsBecomePerChannelTables() throws {
        let html = try TensorHTML.render(try Tensor.arange(0, 18).reshaped([2, 3, 3]))
        #expect(html.components(separatedBy: "<table").count - 1 == 2)
        #expect(html.contains("<caption style=\"text-align: left\">[1, :, :]</caption>"))
        let big = try TensorHTML.render(try Tensor.randn([8, 32, 32]))
        #expect(big.contains("<img") && big.contains("mean"))
    }
}
