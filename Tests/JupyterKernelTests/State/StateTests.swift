import Testing
import Foundation
@testable import JupyterKernel
@testable import StrideTestSupport

@Suite struct StateTests {
    @Test func throttleCoalescesAndCaps() {
        var t = OutputThrottle(limitBytes: 100)
        t.write("stdout", "a"); t.write("stdout", "b"); t.write("stderr", "c")
        let d = t.drain()
        #expect(d.map { $0.name } == ["stdout", "stderr"] && d[0].text == "ab")
        t.write("stdout", String(repeating: "x", count: 200))
        #expect(t.drain().first?.text.count == 97)
        #expect(t.finish()?.contains("output truncated: 103 more bytes") == true)
        #expect(t.finish() == nil)
    }

    @Test func historyTailRangeSearch() {
        var h = HistoryStore(session: 3)
        for (i, c) in ["1 + 1", "let x = 2", "1 + 2", "1 + 1"].enumerated() {
            h.append(line: i + 1, input: c, output: nil)
        }
        #expect(h.tail(2).map { $0.input } == ["1 + 2", "1 + 1"])
        #expect(h.range(session: 0, start: 2, stop: 3).map { $0.line } == [2])
        #expect(h.range(session: 3, start: 1, stop: nil).count == 4)
        #expect(h.search(pattern: "1 + *", n: nil, unique: false).count == 3)
        #expect(h.search(pattern: "1 + *", n: nil, unique: true).map { $0.input } == ["1 + 2", "1 + 1"])
        #expect(h.search(pattern: "1 + *", n: 1, unique: false).map { $0.line } == [4])
    }
}
