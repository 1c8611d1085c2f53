import Testing
import Foundation
@testable import StrideLang
import StrideTestSupport

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

@Suite struct DictionaryTests {
    let h = Harness()

    @Test func literalsAccessAndOrder() {
        #expect(h.value("let d = [\"W1\": 1, \"b1\": 2]\nd[\"W2\"] = 3\nd") == "[\"W1\": 1, \"b1\": 2, \"W2\": 3]")
        #expect(h.value("d.count") == "3")
        #expect(h.value("d.keys") == "[\"W1\", \"b1\", \"W2\"]")
        #expect(h.value("d.values") == "[1, 2, 3]")
        #expect(h.value("d.contains(\"W1\") && !d.contains(\"W9\")") == "true")
        #expect(h.value("var s = \"\"\nfor (k, v) in d { s += \"\\(k)=\\(v) \" }\ns") == "\"W1=1 b1=2 W2=3 \"")
        #expect(h.value("let e = [:]\ne[3] = \"x\"\ne[3]") == "\"x\"")
        #expect(h.value("d[\"W1\"] = 10\nd[\"W1\"]") == "10")  // assignment replaces, keeps order
        #expect(h.value("d.keys[0]") == "\"W1\"")
    }

    @Test func missingKeyIsAKeyErrorNamingIt() throws {
        let e = try #require(h.error("let d = [\"a\": 1]\nd[\"zz\"]"))
        #expect(e.kind == .key)
        #expect(e.message.contains("\"zz\""))
        #expect(e.message.contains("\"a\""))
        #expect(h.error("let bad = [[1]: 2]")?.kind == .type)  // keys are strings or integers
    }

    @Test func sharedByReference() {
        #expect(h.value("let p = [\"w\": 1]\nlet q = p\nq[\"w\"] = 2\np[\"w\"]") == "2")
        #expect(h.value("func set(d) { d[\"k\"] = 5 }\nlet r = [:]\nset(r)\nr[\"k\"]") == "5")
    }

    @Test func courseStyleParameterDictionaries() {
        let code = """
            seed(0)
            let params = ["W1": randn(4, 3) * 0.1, "b1": zeros(3)]
            for (k, v) in params { v.requires_grad = true }
            let x = randn(5, 4)
            let loss = relu(x @ params["W1"] + params["b1"]).sum()
            loss.backward()
            let grads = [:]
            for (k, v) in params { grads[k] = v.grad }
            [grads["W1"].shape, grads["b1"].shape]
            """
        #expect(h.value(code) == "[[4, 3], [3]]")
    }
}
