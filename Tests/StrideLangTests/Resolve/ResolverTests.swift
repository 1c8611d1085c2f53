import Testing

@testable import StrideLang
@testable import StrideTestSupport

/// Names resolve as Swift scopes them: parameters and locals shadow globals, closures capture variables by
/// reference, a global a function uses is read when the function runs, and redeclaring in one cell is an error.
@Suite struct ResolverTests {
    let h = Harness()

    @Test func parametersShadowGlobalsOfTheSameName() {
        h.run("var i = 100\nfunc g(i, s) { return i + s }")
        #expect(h.value("g(1, 2)") == "3")
        #expect(h.value("var s = 0\nfor i in 0..<4 { s += i }\ns") == "6")
        #expect(h.value("i") == "100")
    }

    @Test func functionsSeeTheGlobalsBindingWhenTheyRun() {
        h.run("let k = 2\nfunc times(x) { return x * k }")
        #expect(h.value("times(3)") == "6")
        h.run("let k = 10")  // a later cell redeclares the global
        #expect(h.value("times(3)") == "30")
    }

    @Test func closuresCaptureByReference() {
        #expect(h.value("var n = 1\nlet add = { x in x + n }\nn = 5\nadd(1)") == "6")
    }

    @Test func redeclaringInOneCellIsAnError() {
        let e = h.error("let q = 1\nlet q = 2")
        #expect(e?.kind == .name && e?.message.contains("redeclaration") == true)
        #expect(h.error("func f() { let a = 1\nlet a = 2 }")?.kind == .name)
    }

    @Test func anUnknownNameIsANameErrorWithASuggestion() {
        h.run("let weights = 1")
        let e = h.error("weigths + 1")
        #expect(e?.kind == .name)
    }
}
