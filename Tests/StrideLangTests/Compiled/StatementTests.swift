import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

@Suite struct StatementTests {
    let h = Harness()

    @Test func bindingsAssignmentAndCompound() {
        #expect(h.value("var lr = 0.1\nlr = lr * 0.5; lr *= 0.5\nlr") == "0.025")
        #expect(h.error("let k = 1\nk = 2")?.kind == .type)
        #expect(h.error("undefined_name + 1")?.kind == .name)
        #expect(h.value("var n = 10\nn -= 3\nn /= 2\nn") == "3")
    }

    /// A session with many globals, assigned in a loop (names are resolved to cells once).
    @Test func manyBindingsInOneScope() throws {
        let src =
            (0..<300).map { "var g\($0) = \($0)" }.joined(separator: "\n")
            + "\nfor i in 0..<40 { g299 += i }\ng299 + g0 + g17"
        #expect(h.value(src) == "\(299 + 780 + 17)")
    }

    @Test func controlFlow() {
        #expect(
            h.value("var s = 0\nfor i in 0..<10 { if i % 2 == 0 { continue }; if i > 7 { break }; s += i }\ns") == "16")
        #expect(h.value("var k = 0\nwhile k < 5 { k += 1 }\nk") == "5")
        #expect(
            h.value("var r = \"\"\nif 1 > 2 { r = \"a\" } else if 2 > 1 { r = \"b\" } else { r = \"c\" }\nr") == "\"b\""
        )
        #expect(h.value("var t = 0\nfor (a, b) in [(1, 2), (3, 4)] { t += a * b }\nt") == "14")
        #expect(h.value("let (x, y) = (3, 4)\nx * y") == "12")
        #expect(h.error("if 1 { }")?.kind == .type)
    }

    @Test func functionsRecursionAndDefaults() {
        #expect(h.value("func fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }\nfib(15)") == "610")
        #expect(h.value("func scale(x, by: 2) { return x * by }\nscale(5) + scale(5, by: 3)") == "25")
        #expect(h.error("scale(1, 2, 3)")?.kind == .type)
        #expect(h.error("scale(1, factor: 3)")?.kind == .type)
        #expect(h.value("let f = scale\nf(4)") == "8")
        #expect(h.value("map([1, 2], scale)") == "[2, 4]")
    }

    @Test func recursionDepthIsAnErrorNotACrash() {
        let e = h.error("func down(n) { return down(n + 1) }\ndown(0)")
        #expect(e?.kind == .recursion)
        #expect(e?.callStack.count ?? 0 > 10)
        #expect(h.value("1 + 1") == "2")
    }

    @Test func sessionRedeclarationAndSemicolon() {
        #expect(h.value("let a = 1") == nil)
        #expect(h.value("let a = 2\na") == "2")  // a later cell may redeclare
        #expect(h.error("let b = 1\nlet b = 2")?.kind == .name)  // not inside one cell
        #expect(h.value("func g() { return 1 }") == nil)
        #expect(h.value("func g() { return 2 }\ng()") == "2")
        #expect(h.value("a;") == nil)
        #expect(h.value("nil") == nil)
        #expect(h.error("let c = 5\nc + undefined") != nil)
        #expect(h.value("c") == "5")  // bindings before an error stay
    }

    @Test func stringsAndInterpolation() {
        #expect(
            h.value("let n = 3\n\"n = \\(n), half = \\(n / 2), f = \\(Float(n) / 2)\"")
                == "\"n = 3, half = 1, f = 1.5\"")
        #expect(h.value("\"ab\" + \"cd\"") == "\"abcd\"")
        h.run("print(\"a\", 1, 2.5, [1, 2], \"b\")")
        #expect(h.host.stdout == "a 1 2.5 [1, 2] b\n")
    }

    @Test func integerArithmeticIsExactAndChecked() {
        #expect(h.error("9223372036854775807 + 1")?.kind == .value)
        #expect(h.error("1 / 0")?.kind == .value)
        #expect(h.value("1.0 / 0") == "inf")
    }

    @Test func listsAndTuples() {
        #expect(h.value("var xs = [1, 2, 3]\nxs.append(4)\nxs") == "[1, 2, 3, 4]")
        #expect(h.value("xs[-1] + xs.count") == "8")
        #expect(h.value("xs[1:3]") == "[2, 3]")
        #expect(h.value("xs + [5]") == "[1, 2, 3, 4, 5]")
        #expect(h.value("(1, \"a\").1") == "\"a\"")
        #expect(h.error("xs[10]")?.kind == .index)
    }

    /// The call fast path borrows a constant global's function; a `var` holding a function is read as a value,
    /// so rebinding it while that function runs cannot free the running code's captures.
    @Test func callsSeeRebindingWhileTheyRun() {
        h.run("var f = { n in n }\nfunc make() { let k = 5; return { n in f = { m in m * 100 }; return n + k } }")
        h.run("f = make()")
        #expect(h.value("f(1)") == "6")  // the closure rebinds f, then still reads its own capture k
        #expect(h.value("f(1)") == "100")
        // a later cell redeclares a function: code compiled earlier calls the new one
        h.run("func twice(n) { return 2 * n }\nfunc use(n) { return twice(n) + 1 }")
        #expect(h.value("use(4)") == "9")
        h.run("func twice(n) { return 3 * n }")
        #expect(h.value("use(4)") == "13")
        // wrong argument counts and labels leave the fast path with the general errors
        #expect(h.error("twice()")?.kind == .type)
        #expect(h.error("twice(1, 2)")?.kind == .type)
        #expect(h.error("twice(m: 1)")?.kind == .type)
        let e = h.error("func bad(n) { return n + \"a\" }\nfunc outer(n) { return bad(n) }\nouter(1)")
        #expect(e?.callStack.map(\.function) == ["bad", "outer"])
        // the depth is restored after an error: a later deep but bounded recursion still works
        #expect(h.value("func depth(n) { return n == 0 ? 0 : 1 + depth(n - 1) }\ndepth(900)") == "900")
    }
}
