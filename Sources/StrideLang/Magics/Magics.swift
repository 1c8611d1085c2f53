import CNN
import Foundation

/// What a magic may do: read its argument, run the statement it times, write output, see and reset the
/// session's bindings. Magics run only at a cell's top level (the parser makes anything else a SyntaxError).
struct MagicContext {
    /// The text after the magic's name on its line.
    let argument: String
    let span: Span
    private let interp: Interpreter
    private let statement: StmtNode?
    private let frame: UnsafeMutablePointer<Frame>

    fileprivate init(
        argument: String, span: Span, interp: Interpreter, statement: StmtNode?, frame: UnsafeMutablePointer<Frame>
    ) {
        self.argument = argument
        self.span = span
        self.interp = interp
        self.statement = statement
        self.frame = frame
    }

    func write(_ text: String) { interp.host.write(text, to: .stdout) }

    /// Runs the statement a timing magic was given once.
    func runStatement() throws {
        guard let statement else { throw StrideError(.syntax, "this magic needs a statement", span: span) }
        try interp.checkInterrupt(span)
        _ = try statement.exec(&frame.pointee)
    }

    /// The session's bindings, in binding order.
    var bindings: [(String, Value)] { interp.globals.bound }

    /// Clears the session's bindings and displays.
    func resetSession() { interp.reset() }
}

/// One magic: `%name`, what `help` and the error for an unknown magic list, whether a statement follows it,
/// and what it does.
struct Magic: Sendable {
    let name: String
    let summary: String
    /// `%time stmt`: the rest of the line is a statement, parsed and compiled with the cell.
    let takesStatement: Bool
    let run: @Sendable (MagicContext) throws -> Void
}

/// The magics, one table: `%time`, `%timeit`, `%who`, `%reset`, `%seed`.
enum Magics {
    static let all: [Magic] = [
        Magic(name: "%time", summary: "Runs a statement once and prints the wall time.", takesStatement: true) { m in
            let t0 = monotonicSeconds()
            try m.runStatement()
            m.write("Wall time: \(formatDuration(monotonicSeconds() - t0))\n")
        },
        Magic(
            name: "%timeit", summary: "Times a statement over repeated runs (mean ± std. dev., as IPython).",
            takesStatement: true, run: timeit),
        Magic(name: "%who", summary: "Lists the bound names with their types and values.", takesStatement: false) {
            m in
            let bound = m.bindings.sorted { $0.0 < $1.0 }
            if bound.isEmpty {
                m.write("Interactive namespace is empty.\n")
                return
            }
            let w = bound.map { $0.0.count }.max() ?? 1
            var out = ""
            for (n, v) in bound {
                out +=
                    n.padding(toLength: w, withPad: " ", startingAt: 0) + "  "
                    + v.typeName.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                    + v.shortDescription.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            m.write(out)
        },
        Magic(name: "%reset", summary: "Clears every binding of the session.", takesStatement: false) { m in
            m.resetSession()
            m.write("session cleared\n")
        },
        Magic(name: "%seed", summary: "Seeds the random generator (as seed(n)).", takesStatement: false) { m in
            guard let n = Int64(m.argument.trimmingCharacters(in: .whitespaces)) else {
                throw StrideError(.value, "%seed needs an integer, got '\(m.argument)'", span: m.span)
            }
            GlobalRandom.seed(UInt64(bitPattern: n))
        },
    ]

    static let table: [String: Magic] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// "%time, %timeit, %who, %reset, %seed".
    static var names: String { all.map(\.name).joined(separator: ", ") }

    /// `%timeit`: loops per run chosen so one run takes ≥ 0.2 s (at most 7 runs, 10 s), like IPython.
    static func timeit(_ m: MagicContext) throws {
        var loops = 1
        while true {
            let t0 = monotonicSeconds()
            for _ in 0..<loops { try m.runStatement() }
            let dt = monotonicSeconds() - t0
            if dt >= 0.2 || loops >= 1_000_000 { break }
            loops *= dt < 0.02 ? 10 : 2
        }
        var times: [Double] = []
        let budgetStart = monotonicSeconds()
        for _ in 0..<7 {
            let t0 = monotonicSeconds()
            for _ in 0..<loops { try m.runStatement() }
            times.append((monotonicSeconds() - t0) / Double(loops))
            if monotonicSeconds() - budgetStart > 10 { break }
        }
        let mean = times.reduce(0, +) / Double(times.count)
        let sd = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(times.count)).squareRoot()
        m.write(
            "\(formatDuration(mean)) ± \(formatDuration(sd)) per loop (mean ± std. dev. of \(times.count) runs, "
                + "\(loops) loop\(loops == 1 ? "" : "s") each)\n")
    }

    static func formatDuration(_ s: Double) -> String {
        if s >= 1 { return String(format: "%.3g s", s) }
        if s >= 1e-3 { return String(format: "%.3g ms", s * 1e3) }
        if s >= 1e-6 { return String(format: "%.3g µs", s * 1e6) }
        return String(format: "%.3g ns", s * 1e9)
    }
}

/// `%time stmt`, `%timeit stmt`, `%who`, `%reset`, `%seed n`: a table entry and its argument.
final class MagicNode: StmtNode {
    let magic: Magic
    let argument: String
    let inner: StmtNode?

    init(magic: Magic, argument: String, inner: StmtNode?, span: Span) {
        self.magic = magic
        self.argument = argument
        self.inner = inner
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        try withUnsafeMutablePointer(to: &f) { frame in
            try magic.run(
                MagicContext(
                    argument: argument, span: span, interp: frame.pointee.interp, statement: inner, frame: frame))
        }
        return .normal
    }
}
