import Testing
@testable import StrideLang
import StrideTestSupport

@Suite struct LexerTests {
    func kinds(_ s: String) throws -> [Token.Kind] { var l = Lexer(s); return try l.tokenize().map { $0.kind } }

    @Test func numbersStringsAndComments() throws {
        #expect(
            try kinds("42 1_000 3.14 1e-3 2.5E+2") == [
                .int(42), .int(1000), .float(3.14), .float(1e-3), .float(250), .eof,
            ])
        #expect(try kinds("a /* x /* nested */ y */ b // tail") == [.identifier("a"), .identifier("b"), .eof])
        #expect(try kinds(#""a\n\"b\"""#) == [.string([.text("a\n\"b\"")]), .eof])
        #expect(
            try kinds("..< ... == != <= >= && || += @") == [
                .op("..<"), .op("..."), .op("=="), .op("!="), .op("<="), .op(">="), .op("&&"), .op("||"), .op("+="),
                .op("@"), .eof,
            ])
        #expect(try kinds("let é = 1") == [.keyword("let"), .identifier("é"), .op("="), .int(1), .eof])
    }

    @Test func spansCountCodePoints() throws {
        var l = Lexer("🙂 + x")
        let toks = try l.tokenize()
        #expect(toks[0].span.start == 0 && toks[0].span.end == 1)  // an emoji is one code point of an identifier
    }

    @Test func newlinesInsideBracketsAreNotSignificant() throws {
        #expect(try kinds("f(1,\n2)") == [.identifier("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .eof])
        #expect(try kinds("{\n}").contains(.newline))
    }

    @Test func errorsPointAtTheCharacter() {
        do { var l = Lexer("let x = 1 $ 2"); _ = try l.tokenize(); Issue.record("no error") } catch let e as StrideError
        { #expect(e.kind == .syntax && e.span?.column == 11) } catch { Issue.record("\(error)") }
        #expect(throws: StrideError.self) {
            var l = Lexer("\"open"); _ = try l.tokenize()
        }
        #expect(throws: StrideError.self) {
            var l = Lexer("1abc"); _ = try l.tokenize()
        }
    }
}

@Suite struct ParserTests {
    let h = Harness()

    @Test(arguments: [
        ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("2 * 3 % 4", "2"), ("-2 * 3", "-6"), ("10 - 2 - 3", "5"),
        ("1 + 2 == 3", "true"), ("1 < 2 && 2 < 3", "true"), ("false || true && false", "false"),
        ("!true || true", "true"),
        ("(0..<3).count", "3"), ("(1...3).count", "3"), ("7 / 2", "3"), ("-7 / 2", "-3"), ("7 % 3", "1"),
        ("7.0 / 2", "3.5"),
        ("2 + 3.0", "5.0"), ("1e3", "1000.0"), ("0.1 + 0.2", "0.30000000000000004"),
    ])
    func precedenceLevels(_ c: (String, String)) {
        #expect(h.value(c.0) == c.1)
    }

    @Test func comparisonIsNonAssociative() {
        let e = h.error("1 < 2 < 3")
        #expect(e?.kind == .syntax && e?.message.contains("chained") == true)
    }

    @Test func deepNestingIsASyntaxErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(h.error(deep)?.kind == .syntax)
        let lists = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(h.error(lists)?.kind == .syntax)
        let blocks = String(repeating: "if true {", count: 3000) + String(repeating: "}", count: 3000)
        #expect(h.error(blocks)?.kind == .syntax)
    }

    @Test func leadingDotIsNotANumber() {
        #expect(h.error("let x = .5")?.message.contains("0.5") == true)
    }

    @Test func isComplete() {
        let s = h.session
        #expect(s.isComplete("1 + 1") == .complete)
        #expect(s.isComplete("func f(x) {") == .incomplete(indent: "    "))
        #expect(s.isComplete("let x = (1,") == .incomplete(indent: ""))
        #expect(s.isComplete("print(\"abc") == .incomplete(indent: ""))
        #expect(s.isComplete("let = 5") == .invalid)
        #expect(s.isComplete("x = )") == .invalid)
        #expect(s.isComplete("let s = \"é🙂\"; (") == .incomplete(indent: ""))
    }
}
