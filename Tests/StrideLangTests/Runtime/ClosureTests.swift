import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport

/// docs/language.md §12–§13: closures, dictionaries, `?:`, `**`, and the collection builtins that take functions.
@Suite struct ClosureTests {
    let h = Harness()

    @Test func closureForms() {
        #expect(h.value("map([1, 2, 3, 4], { x in x * x })") == "[1, 4, 9, 16]")
        #expect(h.value("filter([1, 2, 3, 4], { x in x % 2 == 0 })") == "[2, 4]")
        #expect(h.value("sorted([3, 1, 2], by: { (a, b) in a > b })") == "[3, 2, 1]")
        #expect(h.value("[5, 6].map({ x in x + 1 })") == "[6, 7]")
        #expect(h.value("let add = { (a, b) in a + b }\nadd(2, 3)") == "5")
        #expect(h.value("let tick = { print(\"tick\") }\ntick()\ntick()") == nil)
        #expect(h.host.stdout == "tick\ntick\n")
        // a longer body uses return
        #expect(h.value("let f = { x in\n let y = x * 2\n return y + 1\n}\nf(4)") == "9")
    }

    @Test func capturesByReference() {
        #expect(
            h.value("func counter() { var n = 0; return { n += 1; return n } }\nlet c = counter()\nc(); c()\nc()")
                == "3")
        // two counters do not share state
        #expect(h.value("let d = counter()\nd()") == "1")
        // a closure sees later assignments to what it captured, globals and locals alike
        #expect(h.value("var k = 1\nlet g = { k * 10 }\nk = 5\ng()") == "50")
        #expect(h.value("func make() { var a = 1; let f = { a }; a = 7; return f }\nmake()()") == "7")
        // a nested func is a closure too, and may assign the captured variable
        #expect(h.value("func outer() { var s = 0; func add(v) { s += v }; add(2); add(3); return s }\nouter()") == "5")
        // closures made in a loop capture the loop's variable of their iteration
        #expect(
            h.value("let fs = []\nfor i in 0..<3 { fs.append({ i * 10 }) }\nmap(fs, { f in f() })") == "[0, 10, 20]")
    }

    @Test func closuresWithTensorsAndGradients() {
        #expect(h.value("grad({ v in (v * v).sum() }, tensor([1.0, 2.0, 3.0])).tolist()") == "[2.0, 4.0, 6.0]")
        let e = h.value(
            "seed(0)\nlet w = randn(2, 1, 3, 3, dtype: \"float64\")\nlet x = randn(1, 1, 5, 5, dtype: \"float64\")\n"
                + "gradcheck({ w in conv2d(x, w, nil).sum() }, w) < 1e-6")
        #expect(e == "true")
        // a closure is a Sequential stage
        #expect(
            h.value("let s = Sequential(Conv2d(3, 8, kernel: 3), { x in x * 2 }, ReLU())\ns(randn(1, 3, 5, 5)).shape")
                == "[1, 8, 3, 3]")
        #expect(
            h.value("func double(x) { return x * 2 }\nSequential(double, double)(ones(2)).tolist()") == "[4.0, 4.0]")
    }

    @Test func recursionThroughClosuresIsBounded() {
        let e = h.error("var g = nil\ng = { n in g(n + 1) }\ng(0)")
        #expect(e?.kind == .recursion)
        #expect(h.value("1 + 1") == "2")
        let text = h.session.render(e!)
        #expect(text.contains("repeated"))  // the repeated frame is folded, not printed a thousand times
        #expect(text.split(separator: "\n").count < 20)
    }

    @Test func errorsInsideClosuresPointAtTheClosure() throws {
        let e = try #require(h.error("let f = { x in x + undefined_thing }\nmap([1], f)"))
        #expect(e.kind == .name)
        #expect(e.span?.line == 1)
        #expect(e.callStack.first?.function == "closure")
    }

    @Test func ternaryAndPower() {
        #expect(h.value("-2 ** 2") == "-4")
        #expect(h.value("2 ** 3 ** 2") == "512")
        #expect(h.value("2 ** 10") == "1024")  // Int ** non-negative Int is an Int
        #expect(h.value("2 ** -1") == "0.5")
        #expect(h.value("1 > 2 ? \"a\" : 2 > 1 ? \"b\" : \"c\"") == "\"b\"")
        #expect(h.value("(tensor([1.0, -2.0, 3.0]) ** 2).tolist()") == "[1.0, 4.0, 9.0]")
        let x = "let x = tensor([1.0, -2.0, 3.0])\n"
        #expect(h.value(x + "(x > 0 ? x : 0.5 * x).tolist()") == "[1.0, -1.0, 3.0]")
        #expect(h.error("2 ** 100")?.kind == .value)
    }
}
