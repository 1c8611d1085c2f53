import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

@Suite struct AssistTests {
    let h = Harness()

    @Test func completesNamesMembersAndLabels() {
        h.run("let conv = Conv2d(3, 8, kernel: 3)\nlet données = zeros(2)")
        let s = h.session
        #expect(s.complete("con", cursor: 3).matches.contains("conv"))
        #expect(s.complete("con", cursor: 3).matches.contains("conv2d"))
        let m = s.complete("conv.we", cursor: 7)
        #expect(m.matches == ["weight"] && m.start == 5 && m.end == 7)
        let code = "let é = \"🙂\"; donn"
        let c = s.complete(code, cursor: code.unicodeScalars.count)
        #expect(c.matches == ["données"])
        #expect(c.start == code.unicodeScalars.count - 4)
        let labels = s.complete("Conv2d(3, 8, ker", cursor: 16)
        #expect(labels.matches.first == "kernel:")
        let tm = s.complete("données.res", cursor: 11)
        #expect(tm.matches == ["reshape"])
    }

    @Test func inspectsBuiltinsAndBindings() {
        h.run("let x = randn(2, 3)")
        let s = h.session
        #expect(s.inspect("conv2d", cursor: 3, detail: 0)?.data["text/plain"]?.contains("conv2d(x, w, b") == true)
        let t = s.inspect("🙂 + x", cursor: 5, detail: 0)?.data["text/plain"] ?? ""
        #expect(t.contains("shape: [2, 3]") && t.contains("float32"))
        #expect(s.inspect("zeros(", cursor: 6, detail: 0) != nil)
        #expect(s.inspect("   ", cursor: 1, detail: 0) == nil)
    }
}
