import CNN
import Foundation

/// Evaluates the syntax tree against a session's scope. Tensor work goes to the CNN
/// runtime; output goes through the `Host`; the interrupt token is polled on loop
/// back-edges and calls.
final class Interpreter {
    let globals = Scope(parent: nil)
    let host: any Host
    let token: CancellationToken
    var execution = 0
    var callDepth = 0
    var maxCallDepth = 200
    weak var session: Session?

    init(host: any Host, token: CancellationToken) { self.host = host; self.token = token }

    @inline(__always) func checkInterrupt(_ span: Span) throws {
        if token.isCancelled { throw StrideError(.interrupted, "the cell was interrupted", span: span) }
    }

    /// Runs `body`, turning runtime errors into language errors pointing at `span`.
    @inline(__always) func rt<T>(_ span: Span, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CNNError { throw StrideError(e, span: span) }
    }

    // MARK: Bindings
    func declare(_ name: String, _ value: Value, mutable: Bool, in scope: Scope, span: Span) throws {
        if let existing = scope[own: name] {
            // Re-running a cell may redeclare top-level names; inside one cell or a body it is an error.
            if scope !== globals || existing.execution == execution {
                throw StrideError(.name, "invalid redeclaration of '\(name)' in the same \(scope === globals ? "cell" : "scope")", span: span)
            }
        }
        scope.set(name, Scope.Binding(value: value, mutable: mutable, execution: execution))
    }

    func bind(_ p: Pattern, _ v: Value, mutable: Bool, in scope: Scope) throws {
        switch p {
        case .name(let n, let s):
            if n == "_" { return }
            try declare(n, v, mutable: mutable, in: scope, span: s)
        case .tuple(let ps, let s):
            let items: [Value]
            switch v {
            case .tuple(let t): items = t
            case .list(let l): items = l.items
            default: throw StrideError(.type, "cannot destructure a \(v.typeName) into \(ps.count) names", span: s)
            }
            guard items.count == ps.count else {
                throw StrideError(.value, "cannot destructure a tuple of \(items.count) into \(ps.count) names", span: s)
            }
            for (pp, vv) in zip(ps, items) { try bind(pp, vv, mutable: mutable, in: scope) }
        }
    }

    func lookup(_ name: String, _ scope: Scope, _ span: Span) throws -> Value {
        if let b = scope.lookup(name) { return b.value }
        if let b = Builtins.table[name] { return .builtin(b) }
        var msg = "cannot find '\(name)' in scope"
        if let s = suggestion(for: name, in: scope) { msg += "; did you mean '\(s)'?" }
        throw StrideError(.name, msg, span: span)
    }

    func suggestion(for name: String, in scope: Scope) -> String? {
        let candidates = scope.allNames + Array(Builtins.table.keys)
        let lower = name.lowercased()
        if let c = candidates.first(where: { $0.lowercased() == lower }) { return c }
        let close = candidates.map { ($0, editDistance($0.lowercased(), lower)) }.filter { $0.1 <= Swift.max(1, name.count / 4) }
        return close.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    // MARK: Programs
    /// Executes a cell's statements; returns the value of a final expression statement.
    func run(_ program: Program) throws -> Value? {
        var last: Value? = nil
        for (i, s) in program.statements.enumerated() {
            if i == program.statements.count - 1, case .expr(let e, _) = s {
                last = try eval(e, globals)
            } else {
                try exec(s, globals)
            }
        }
        return program.endsWithSemicolon ? nil : last
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    for i in 1...x.count {
        var cur = [i] + [Int](repeating: 0, count: y.count)
        for j in 1...y.count { cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)) }
        prev = cur
    }
    return prev[y.count]
}
