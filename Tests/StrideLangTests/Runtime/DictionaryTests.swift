import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport

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
