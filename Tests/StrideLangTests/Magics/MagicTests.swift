import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

/// The magics table: each magic at a cell's top level, and a clear SyntaxError anywhere else.
@Suite struct MagicTests {
    let h = Harness()

    @Test func magics() {
        h.run("let q = zeros(2, 3)\n%who")
        #expect(h.host.stdout.contains("q") && h.host.stdout.contains("[2, 3]"))
        h.run("%time let r = randn(10)")
        #expect(h.host.stdout.contains("Wall time:"))
        h.run("%timeit 1 + 1")
        #expect(h.host.stdout.contains("per loop"))
        h.run("%seed 3\nlet a1 = randn(3)")
        h.run("%seed 3\nlet a2 = randn(3)")
        #expect(h.value("allclose(a1, a2)") == "true")
        h.run("%reset")
        #expect(h.error("q")?.kind == .name)
    }

    @Test func magicsRunOnlyAtACellsTopLevel() {
        for code in [
            "func f() {\n%reset\n}", "for i in 0..<2 {\n%who\n}", "if true {\n%seed 1\n}",
            "let g = { x in\n%time x\n}", "layer L() {\n%who\nfunc forward(x) { return x }\n}",
        ] {
            let e = h.error(code)
            #expect(e?.kind == .syntax, "\(code)")
            #expect(e?.message.contains("top level") == true, "\(e?.message ?? "")")
        }
        // nothing ran: the session still has its bindings
        h.run("let kept = 1")
        _ = h.error("func f() {\n%reset\n}")
        #expect(h.value("kept") == "1")
    }

    @Test func anUnknownMagicListsTheTable() {
        let e = h.error("%whos")
        #expect(e?.kind == .syntax)
        #expect(e?.message.contains("%time, %timeit, %who, %reset, %seed") == true)
    }
}
