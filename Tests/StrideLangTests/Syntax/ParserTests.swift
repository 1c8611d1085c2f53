import Testing
@testable import StrideLang
@testable import StrideTestSupport

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
