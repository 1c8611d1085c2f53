import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport

/// Golden programs in Scripts/: each NAME.stride runs in a fresh session; its stdout (and,
/// for a failing script, the rendered error) must equal NAME.expected.
@Suite struct GoldenScriptTests {
    static var scripts: [String] {
        guard let dir = Bundle.module.url(forResource: "Scripts", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".stride") }.sorted()
    }

    @Test func thereAreGoldenScripts() { #expect(Self.scripts.count >= 5) }

    @Test(arguments: scripts)
    func script(_ name: String) throws {
        let dir = try #require(Bundle.module.url(forResource: "Scripts", withExtension: nil))
        let code = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        let expected = try String(
            contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".stride", with: ".expected")),
            encoding: .utf8)
        let host = RecordingHost()
        let session = Session(host: host)
        session.sourceName = { _ in name }
        var out = host.stdout
        if case .error(let e, _, _, _) = session.execute(code, cell: 1) {
            out = host.stdout + session.render(e) + "\n"
        } else {
            out = host.stdout
        }
        #expect(out == expected)
    }
}
