import Testing
import Foundation
@testable import StrideLang
import Render

/// Runs cells in one session with a recording host.
final class Harness {
    let host = RecordingHost()
    lazy var session = Session(host: host)
    var cell = 0

    @discardableResult
    func run(_ code: String) -> CellOutcome { cell += 1; return session.execute(code, cell: cell) }

    /// The cell's text/plain result, or nil; an error fails the test.
    func value(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        switch run(code) {
        case .ok(let b): return b?.data["text/plain"]
        case .error(let e, _, _, _):
            Issue.record("unexpected \(e.kind.rawValue): \(e.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The error of a cell that must fail.
    func error(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> StrideError? {
        switch run(code) {
        case .ok(let b):
            Issue.record("expected an error, got \(b?.data["text/plain"] ?? "nothing")", sourceLocation: sourceLocation)
            return nil
        case .error(let e, _, _, _): return e
        }
    }
}
