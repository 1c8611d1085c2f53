public import CNN
public import Render
import Foundation

/// What a cell produced: its result (nil when none) or an error.
public enum CellOutcome {
    case ok(MIMEBundle?)
    case error(StrideError, ename: String, evalue: String, traceback: [String])
}

/// Completion of `is_complete`.
public enum Completeness: Equatable, Sendable {
    case complete, incomplete(indent: String), invalid
}

/// A completion answer: matches replacing code points `start..<end`, with type names.
public struct Completions: Sendable, Equatable {
    public var matches: [String]
    public var start: Int, end: Int
    public var types: [String]
}

/// One interpreter session: persistent globals, its memory budget, random generator and interrupt token.
/// The kernel, `stride run`, `stride repl` and tests all use it through a `Host`. A cell goes through the
/// phases as types: source → tokens → `Program` (AST) → resolved program (evaluation nodes) → result.
public final class Session {
    public let host: any Host
    /// Set from any thread to interrupt the running cell.
    public let token: CancellationToken
    public let budget: MemoryBudget
    /// The session's random generator (`seed(n)` reseeds it).
    public let random = RandomSource()
    let interp: Interpreter
    let resources: SessionResources
    let worker = Worker()
    var sources: [Int: String] = [:]
    var nextAnonymous = 1_000_000
    /// Names sources: "cell N" by default (a file name for `stride run`).
    public var sourceName: @Sendable (Int) -> String = { "cell \($0)" }

    /// A session; `token` may be made beforehand by an owner that interrupts from another thread.
    public init(
        host: any Host, memoryLimit: Int? = nil, maxCallDepth: Int = 1000,
        token: CancellationToken = CancellationToken()
    ) {
        self.host = host
        self.token = token
        budget = MemoryBudget(limit: memoryLimit ?? MemoryBudget.defaultLimit())
        resources = SessionResources(budget: budget)
        interp = Interpreter(host: host, token: token, resources: resources)
        interp.maxCallDepth = maxCallDepth
    }

    /// Interrupts the running cell (safe from any thread); harmless when idle.
    public func interrupt() { token.cancel() }

    /// Runs a cell. `cell` numbers the source for error locations.
    public func execute(_ code: String, cell: Int? = nil) -> CellOutcome {
        // `exit` and `quit` alone end the session, as in IPython (a name on its own would only show the builtin)
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "exit" || trimmed == "quit", !interp.globals.bound.contains(where: { $0.0 == trimmed }) {
            return execute(trimmed + "()", cell: cell)
        }
        let id =
            cell
            ?? {
                nextAnonymous += 1
                return nextAnonymous
            }()
        sources[id] = code
        token.reset()
        interp.execution += 1
        resources.progress.beginCell()
        let outcome = run(code, id)
        var ended: String? = nil
        if case .error(let e, _, _, _) = outcome { ended = e.kind.rawValue }
        // a bar still running was left by the error, or by a break
        let stopped = resources.progress.endCell(error: ended)
        if !stopped.isEmpty {
            let now = monotonicSeconds()
            _ = try? worker.perform {
                for d in stopped { host.progress(d.bundle(now: now), id: d.id, first: false, final: true) }
            }
        }
        return outcome
    }

    private func run(_ code: String, _ id: Int) -> CellOutcome {
        do {
            let value: Value = try worker.perform {
                try MemoryBudget.$current.withValue(budget) {
                    try GlobalRandom.$current.withValue(random) {
                        try Cancellation.$current.withValue(token) {
                            try withGrad {
                                let program = try Parser.parse(code, source: id)
                                let proto = try Resolver.compileCell(program, globals: interp.globals, source: id)
                                return try interp.runCell(proto)
                            }
                        }
                    }
                }
            }
            if case .none = value { return .ok(nil) }
            return .ok(try worker.perform { try ValueDisplay.bundle(value) })
        } catch let e as StrideError {
            return failure(e)
        } catch let e as CNNError {
            return failure(StrideError(e, span: nil))
        } catch let f as StageFailure {
            return failure(StrideError(f, span: Span(start: 0, end: 0, line: 1, column: 1)))
        } catch {
            return failure(StrideError(.value, "\(error)"))
        }
    }

    func failure(_ e: StrideError) -> CellOutcome {
        .error(e, ename: e.kind.rawValue, evalue: e.message, traceback: renderer.lines(e, color: true))
    }

    /// Plain-text report of an error, as `stride run` prints it.
    public func render(_ e: StrideError, color: Bool = false) -> String { renderer.render(e, color: color) }
    var renderer: DiagnosticRenderer { DiagnosticRenderer(sources: sources, sourceName: sourceName) }

    /// The session's scratch directory (`tempdir()`).
    public func scratchDirectory() throws -> String { try resources.scratchDirectory() }

    /// Ends the session: removes its scratch directory. The kernel calls it on shutdown, `stride run` at the end.
    public func close() { resources.close() }

    /// Clears every binding (the `%reset` magic and kernel restart).
    public func reset() { interp.reset() }

    /// Names bound in the session with a one-line description each.
    public var bindings: [(String, String)] {
        interp.globals.bound.sorted { $0.0 < $1.0 }.map { ($0.0, "\($0.1.typeName)  \($0.1.shortDescription)") }
    }

    /// Evaluates an expression without touching history (user_expressions). Errors come back as text.
    public func evaluate(_ expr: String) -> Result<MIMEBundle, StrideError> {
        switch execute(expr, cell: nil) {
        case .ok(let b): return .success(b ?? MIMEBundle.text("nil"))
        case .error(let e, _, _, _): return .failure(e)
        }
    }

    public func isComplete(_ code: String) -> Completeness { CompletenessChecker.check(code) }

    public func complete(_ code: String, cursor: Int) -> Completions {
        Completion(session: self).complete(code, cursor: cursor)
    }

    public func inspect(_ code: String, cursor: Int, detail: Int) -> MIMEBundle? {
        Completion(session: self).inspect(code, cursor: cursor, detail: detail)
    }
}

extension Interpreter {
    /// Runs a compiled cell on its own frame at the top of the stack.
    func runCell(_ proto: FunctionProto) throws -> Value {
        let base = stack.top
        defer { stack.pop(to: base) }
        return try run(proto, function: nil, captures: [], base: base, given: 0, span: .unknown)
    }
}
