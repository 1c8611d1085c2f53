import Testing

@testable import StrideLang
@testable import StrideTestSupport

/// The direct element paths (`x[i, j] = v`, `x[i, j].item()`, `xs.append(v)`) keep every rule of the general
/// path: bounds with the index's own caret, negative indices, views writing through, dtype and autograd rules,
/// and values that are not numbers falling back to the general assignment.
@Suite struct ElementAccessTests {
    @Test func elementWritesFollowTheGeneralRules() throws {
        let h = Harness()
        h.run("let x = zeros(2, 3)\nx[1, -1] = 5\nx[0, 0] = 2\nlet v = x[1]\nv[0] = 7")
        #expect(h.value("x.tolist()") == "[[2.0, 0.0, 0.0], [7.0, 0.0, 5.0]]")
        let e = try #require(h.error("x[0, 3] = 1"))
        #expect(e.kind == .index && e.message == "index 3 is out of bounds for dimension 1 with size 3")
        #expect(e.span?.column == 6 && e.span?.end == 6)  // the caret under the index 3
        #expect(h.error("x[-3, 0] = 1")?.kind == .index)
        // a tensor value, a slice, a compound assignment: the general path, same results
        h.run("x[0, 1] = tensor(4.0)\nx[1, 0:2] = 1\nx[0, 2] += 3")
        #expect(h.value("x.tolist()") == "[[2.0, 4.0, 3.0], [1.0, 1.0, 5.0]]")
        // the index expressions run once, in order, even when the general path takes over
        h.run("var calls = []\nfunc i(n) { calls.append(n); return n }\nx[i(0), i(1)] = tensor(9.0)\nx[i(1), i(2)] = 8")
        #expect(h.value("calls") == "[0, 1, 1, 2]")
        #expect(h.value("x[0, 1].item() + x[1, 2].item()") == "17.0")
        #expect(h.error("let w = zeros(2, requires_grad: true)\nw[0] = 1")?.kind == .value)
        h.run("let m = arange(3)\nm[2] = 7\nm[0] = 2.7")  // into Int64 a float truncates, as in NumPy and PyTorch
        #expect(h.value("m.tolist()") == "[2, 1, 7]")
        #expect(h.error("m[1] = 1e300")?.kind == .value)
        #expect(h.error("x[0, 0] = \"a\"")?.kind == .type)
    }

    @Test func methodFastPathsKeepTheirReceiverAndArguments() throws {
        let h = Harness()
        h.run("var xs = []\nfor i in 0..<5 { xs.append(i * i) }\nlet n = xs.count")
        #expect(h.value("xs") == "[0, 1, 4, 9, 16]")
        #expect(h.value("n") == "5")
        #expect(h.error("xs.append()")?.kind == .type)
        #expect(h.error("xs.append(1, 2)")?.kind == .type)
    }

    @Test func elementReadsFollowTheGeneralRules() throws {
        let h = Harness()
        h.run("let x = arange(12).reshape(3, 4).float()\nlet t = x.transpose(0, 1)\nlet r = x[1]")
        #expect(h.value("x[2, -1].item()") == "11.0")
        #expect(h.value("t[3, 1].item()") == "7.0")  // a transposed view: strides and offset
        #expect(h.value("r[-4].item()") == "4.0")  // a view with an offset
        #expect(h.value("arange(5)[3].item()") == "3")  // Int64 reads an Int
        let e = try #require(h.error("x[1, 4].item()"))
        #expect(e.kind == .index && e.message == "index 4 is out of bounds for dimension 1 with size 4")
        #expect(h.error("x[-4, 0].item()")?.kind == .index)
        #expect(h.error("x[0.5, 1].item()")?.kind == .type)
        // the general path: too few indices (a row is not one element), a list, a tensor index
        #expect(h.error("x[1].item()")?.kind == .value)
        #expect(h.value("x[tensor(2), 1].item()") == "9.0")
        // the index expressions run once each, in order
        h.run("var calls = []\nfunc i(n) { calls.append(n); return n }\nlet s = x[i(2), i(3)].item()")
        #expect(h.value("calls") == "[2, 3]")
        #expect(h.value("s") == "11.0")
    }
}
