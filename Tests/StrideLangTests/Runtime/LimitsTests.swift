import Render
import Testing

@testable import CNN
@testable import StrideLang
@testable import StrideTestSupport

/// What used to crash the process: integers at the edge of 64 bits, and containers that grow without end. Each is
/// an error with the numbers, or the right answer, and the session goes on.
@Suite struct LimitsTests {
    @Test func integersAtTheEdgeOfSixtyFourBits() {
        let h = Harness()
        let count = h.error("(-9223372036854775807..<9223372036854775807).count")
        #expect(count?.kind == .value && count?.message.contains("more elements than an Int can count") == true)
        #expect(h.value("(0..<10).count") == "10")
        let abs = h.error("abs(-9223372036854775807 - 1)")
        #expect(abs?.kind == .value && abs?.message.contains("overflow") == true)
        #expect(h.value("abs(-9223372036854775807)") == "9223372036854775807")
        #expect(h.error("[1, 2][0..<9223372036854775807]") != nil)
        #expect(h.error("zeros(0, 4611686018427387904, 3)")?.kind == .memory)
        #expect(h.error("let r = -9223372036854775807...9223372036854775807")?.kind == .value)
    }

    @Test func roundWithHugeDigitsKeepsTheNumber() {
        let h = Harness()
        #expect(h.value("round(3.14159, digits: 2)") == "3.14")
        #expect(h.value("round(3.14159, digits: 400)") == "3.14159")
        #expect(h.value("round(3.14159, digits: 9223372036854775807)") == "3.14159")
        #expect(h.value("round(1234.5, digits: -2)") == "1200.0")
        #expect(h.value("round(1234.5, digits: -9223372036854775807)") == "0.0")
    }

    /// Lists, strings and dictionaries that double until memory runs out stop with MemoryError at the session's
    /// limit, and what they held is given back.
    @Test(arguments: [
        "var xs = [1]\nwhile true { xs = xs + xs }",
        "var xs = []\nwhile true { xs.append(1) }",
        "var s = \"ab\"\nwhile true { s = s + s }",
        "var s = \"ab\"\nwhile true { s = \"\\(s)\\(s)\" }",
        "var d = [:]\nvar i = 0\nwhile true {\n d[i] = i\n i += 1\n}",
        "let xs = map(0..<9223372036854775807, { v in v })",
        "var xs = [[1]]\nwhile true { xs.append(xs[0]) }",
    ])
    func growingContainersGiveMemoryError(_ code: String) {
        let host = RecordingHost()
        let session = Session(host: host, memoryLimit: 8 << 20)
        let before = session.budget.inUse
        guard case .error(let e, _, _, _) = session.execute(code, cell: 1) else {
            Issue.record("no error for \(code)")
            return
        }
        #expect(e.kind == .memory, "\(code): \(e.kind.rawValue): \(e.message)")
        #expect(e.message.contains("session limit"))
        _ = session.execute("%reset", cell: 2)
        #expect(session.budget.inUse == before, "\(session.budget.inUse - before) bytes still charged")
        guard case .ok(let ok) = session.execute("1 + 1", cell: 3) else {
            Issue.record("the session stopped working")
            return
        }
        #expect(ok?.data["text/plain"] == "2")
    }
}
