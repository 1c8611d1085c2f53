import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN

/// Every error kind of the language (docs/language.md §10), with its message, location and caret.
@Suite struct ErrorKindTests {
    struct Case: Sendable, CustomStringConvertible {
        let code: String, kind: ErrorKind, message: String, line: Int, column: Int, caret: String
        var description: String { kind.rawValue }
    }

    static let cases: [Case] = [
        Case(
            code: "let x = (1 +", kind: .syntax, message: "expected an expression, found end of input", line: 1,
            column: 13, caret: "^"),
        Case(
            code: "let a = 1\nlet b = c + a", kind: .name, message: "cannot find 'c' in scope", line: 2, column: 9,
            caret: "^"),
        Case(
            code: "let s = \"a\" * 2", kind: .type,
            message: "binary operator '*' cannot be applied to operands of type String and Int", line: 1, column: 9,
            caret: "^^^^^^^"),
        Case(
            code: "let r = 5 / 0", kind: .value, message: "division by zero: 5 / 0", line: 1, column: 9, caret: "^^^^^"),
        Case(
            code: "let x = zeros(2, 3)\nlet y = x @ zeros(4, 5)", kind: .shape,
            message: "matmul: inner dimensions differ: [2, 3] @ [4, 5] (3 vs 4)", line: 2, column: 9,
            caret: "^^^^^^^^^^^^^^^"),
        Case(
            code: "let x = zeros(2, 3)\nx[2, 0]", kind: .index,
            message: "index 2 is out of bounds for dimension 0 with size 2", line: 2, column: 1, caret: "^^^^^^^"),
        Case(
            code: "assert(1 > 2, \"one is not more than two\")", kind: .assertion, message: "one is not more than two",
            line: 1, column: 1, caret: "^^^^^^"),
        Case(
            code: "let big = zeros(100000, 100000, 100)", kind: .memory,
            message: "cannot allocate a tensor of 3725.3 GiB: the session limit is 8.0 GiB", line: 1, column: 11,
            caret: "^^^^^"),
        Case(
            code: "func f(n) { return f(n + 1) }\nf(0)", kind: .recursion,
            message: "maximum recursion depth (1000 calls) exceeded in f", line: 1, column: 20, caret: "^^^^^^^^"),
        Case(
            code: "let t = load(\"/no/such/file.npy\")", kind: .io,
            message: "cannot read /no/such/file.npy: no such file or not readable", line: 1, column: 9, caret: "^^^^"),
    ]

    @Test(arguments: cases)
    func errorKindMessageLocationAndCaret(_ c: Case) throws {
        let h = Harness()
        let e = try #require(h.error(c.code))
        #expect(e.kind == c.kind)
        #expect(e.message.hasPrefix(c.message) || e.message.contains(c.message), "\(e.message)")
        let span = try #require(e.span)
        #expect(span.line == c.line && span.column == c.column, "at \(span.line):\(span.column)")
        let text = h.session.render(e)
        #expect(text.hasPrefix("\(c.kind.rawValue): "))
        #expect(text.contains("--> cell \(h.cell), line \(c.line), column \(c.column)"))
        let caretLine = text.split(separator: "\n").first { $0.contains("^") }.map(String.init) ?? ""
        #expect(
            caretLine.hasSuffix(String(repeating: " ", count: c.column) + c.caret) || caretLine.contains(" " + c.caret),
            "\(caretLine)")
    }

    @Test func interruptedIsAnErrorKindWithItsLocation() {
        let h = Harness()
        let token = h.session.token
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { token.cancel() }
        let e = h.error("var i = 0\nwhile true {\n  i += 1\n}")
        #expect(e?.kind == .interrupted && e?.span?.line == 2)
        #expect(h.session.render(e!).contains("Interrupted: the cell was interrupted"))
    }

    @Test func stdinNotAllowedIsAClearError() {
        let h = Harness()
        let e = h.error("input(\"name? \")")
        #expect(e?.kind == .stdin && e?.message.contains("input") == true)
    }

    @Test func callStackNamesEveryFrame() {
        let h = Harness()
        let e = h.error("func a(x) { return x.reshape(7) }\nfunc b(x) { return a(x) }\nb(zeros(2))")
        #expect(e?.kind == .shape)
        #expect(e?.callStack.map { $0.function } == ["a", "b"])
        #expect(e?.callStack.map { $0.callSite.line } == [2, 3])
    }
}
