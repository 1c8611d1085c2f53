import Render
import Testing

@testable import StrideLang
@testable import StrideTestSupport

/// A cell's result as Jupyter shows it: text always, HTML for tensors and models, bare numbers for graders.
@Suite struct ValueDisplayTests {
    let h = Harness()

    @Test func scalarsAreBareNumbers() {
        #expect(h.value("0.5") == "0.5")
        #expect(h.value("7 / 2") == "3")
        #expect(h.value("\"text\"") == "\"text\"")
    }

    @Test func tensorsAndModelsCarryHTML() throws {
        guard case .ok(let tensor?) = h.run("zeros(2, 3)") else {
            Issue.record("no result")
            return
        }
        #expect(tensor.data["text/plain"]?.contains("[2, 3]") == true)
        #expect(tensor.data["text/html"]?.contains("<table") == true)
        guard case .ok(let model?) = h.run("Sequential(Linear(2, 3), ReLU())") else {
            Issue.record("no result")
            return
        }
        #expect(model.data["text/plain"]?.contains("Linear(in_features=2, out_features=3, bias=True)") == true)
        #expect(model.data["text/html"]?.contains("Linear") == true)
    }

    @Test func nilAndStatementsShowNothing() {
        guard case .ok(let none) = h.run("let a = 1") else {
            Issue.record("error")
            return
        }
        #expect(none == nil)
        guard case .ok(let silent) = h.run("a;") else {
            Issue.record("error")
            return
        }
        #expect(silent == nil)
    }
}
