import Testing
@testable import StrideLang
@testable import StrideTestSupport

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
