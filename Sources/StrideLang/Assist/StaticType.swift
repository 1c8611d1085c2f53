import CNN

/// What completion and inspection know about an expression without running anything: a value already bound
/// in the session (read, never called), or only a type, from the builtin table's return types, a user layer's
/// declaration, or a binding earlier in the code being edited (`let a = randn(3)` not yet run).
enum Known {
    case value(Value)
    /// A type; `members` are names a value of it is known to have besides its receiver's (a user layer's fields).
    case type(ValueType, members: [String])

    var receiver: Receiver? {
        switch self {
        case .value(let v): Receiver.of(v)
        case .type(let t, _): t.receiver
        }
    }

    /// The type's name as `type(v)` would print it.
    var typeName: String {
        switch self {
        case .value(let v): v.typeName
        case .type(let t, _): t.description
        }
    }
}

/// Types expressions statically over the session's bindings. Only reads: a layer's field, a container's child,
/// a list's item; a call is typed by what it returns, never made.
struct StaticTyper {
    let completion: Completion
    /// Bindings declared earlier in the code being edited, by name.
    var pending: [String: Expr] = [:]

    init(completion: Completion, code: String) {
        self.completion = completion
        // the statements before the current line, if they parse; their `let`/`var` bindings
        guard let lastBreak = code.lastIndex(of: "\n"),
            let program = try? Parser.parse(String(code[..<lastBreak]))
        else { return }
        for stmt in program.statements {
            if case .binding(_, .name(let n, _), let e, _) = stmt { pending[n] = e }
        }
    }

    func type(of e: Expr, depth: Int = 0) -> Known? {
        guard depth < 32 else { return nil }
        switch e {
        case .name(let n, _):
            if let v = completion.session.interp.globals.lookup(n) { return .value(v) }
            if let p = pending[n] {
                var inner = self
                inner.pending[n] = nil  // `let a = a.T` refers to an earlier a
                return inner.type(of: p, depth: depth + 1)
            }
            if let b = Builtins.table[n] { return .value(.builtin(b)) }
            return nil
        case .string: return .type(.string, members: [])
        case .list: return .type(.list, members: [])
        case .tuple: return .type(.tuple, members: [])
        case .dict: return .type(.dict, members: [])
        case .range: return .type(.range, members: [])
        case .int, .float, .bool, .nilLiteral, .closure: return nil
        case .unary(_, let x, _): return tensorIfAny([x], depth)
        case .binary(let op, let a, let b, _):
            return op.isComparison || op == .and || op == .or ? nil : tensorIfAny([a, b], depth)
        case .ternary(_, let a, let b, _): return type(of: a, depth: depth + 1) ?? type(of: b, depth: depth + 1)
        case .call(let callee, let args, _): return call(callee, args, depth)
        case .member(let recv, let name, _): return member(recv, name, depth)
        case .index(let recv, let idx, _): return index(recv, idx, depth)
        }
    }

    /// Arithmetic with a tensor gives a tensor.
    private func tensorIfAny(_ xs: [Expr], _ depth: Int) -> Known? {
        xs.contains { type(of: $0, depth: depth + 1)?.receiver == .tensor } ? .type(.tensor, members: []) : nil
    }

    private func call(_ callee: Expr, _ args: [CallArgument], _ depth: Int) -> Known? {
        if case .member(let recv, let name, _) = callee {
            guard let r = type(of: recv, depth: depth + 1)?.receiver, let m = Builtins.entry(r, name) else {
                return nil
            }
            return returning(m, firstIsTensor: r == .tensor)
        }
        guard case .value(let v)? = type(of: callee, depth: depth + 1) else { return nil }
        switch v {
        case .builtin(let b):
            let first = args.first.flatMap { $0.label == nil ? type(of: $0.value, depth: depth + 1) : nil }
            return returning(b, firstIsTensor: first?.receiver == .tensor)
        case .layerType(let t): return .type(.layer, members: t.proto.topLevel.map(\.name))
        default: return nil
        }
    }

    /// What a builtin returns. Those that take a number or a tensor first and return `Any` (`sum`, `abs`,
    /// `exp`) return a tensor for a tensor.
    private func returning(_ b: Builtin, firstIsTensor: Bool) -> Known? {
        if b.returns == .any {
            return firstIsTensor && b.params.first?.type == .tensorLike ? .type(.tensor, members: []) : nil
        }
        return .type(b.returns, members: [])
    }

    private func member(_ recv: Expr, _ name: String, _ depth: Int) -> Known? {
        guard let k = type(of: recv, depth: depth + 1) else { return nil }
        if case .value(let v) = k {
            switch v {
            case .layer(let l):
                if let m = try? completion.session.interp.layerMember(l, name) { return .value(m) }
            case .tensor(let t) where name == "grad":
                return t.grad.map { .value(.tensor($0)) }
            case .dict(let d):
                if let m = d[.string(name)] { return .value(m) }
            default: break
            }
        }
        guard let r = k.receiver, let m = Builtins.entry(r, name), m.isProperty else { return nil }
        return .type(m.returns, members: [])
    }

    private func index(_ recv: Expr, _ idx: [IndexExpr], _ depth: Int) -> Known? {
        guard let k = type(of: recv, depth: depth + 1) else { return nil }
        if case .value(let v) = k, idx.count == 1 {
            switch (v, idx[0]) {
            case (.layer(let l), .single(.int(let i, _))):
                let kids = l.children
                let j = i < 0 ? kids.count + i : i
                if j >= 0 && j < kids.count { return .value(.layer(kids[j].1)) }
            case (.list(let l), .single(.int(let i, _))):
                let j = i < 0 ? l.items.count + i : i
                if j >= 0 && j < l.items.count { return .value(l.items[j]) }
            case (.dict(let d), .single(.string(let parts, _))):
                if parts.count == 1, case .text(let key) = parts[0], let m = d[.string(key)] { return .value(m) }
            default: break
            }
        }
        if k.receiver == .tensor { return .type(.tensor, members: []) }
        return nil
    }
}

extension Completion {
    /// The postfix expression (names, members, calls, subscripts) that ends at `end`, as text: `randn(2, 3)`,
    /// `model[0]`, `(a + b)`.
    func postfixExpression(_ s: [Unicode.Scalar], endingAt end: Int) -> String? {
        var j = end
        scan: while j > 0 {
            let c = s[j - 1]
            if Self.isIdent(c) {
                while j > 0 && Self.isIdent(s[j - 1]) { j -= 1 }
                if j > 0 && s[j - 1] == "." {
                    j -= 1
                    continue scan
                }
                break scan
            }
            guard c == ")" || c == "]", let open = opening(s, closingAt: j - 1) else { break scan }
            j = open
        }
        guard j < end else { return nil }
        return String(String.UnicodeScalarView(s[j..<end]))
    }

    /// The index of the bracket that `s[close]` closes (strings skipped), or nil.
    private func opening(_ s: [Unicode.Scalar], closingAt close: Int) -> Int? {
        var depth = 0
        var inString = false
        var j = close
        while j >= 0 {
            let c = s[j]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" { depth += 1 }
                if c == "(" || c == "[" {
                    depth -= 1
                    if depth == 0 { return j }
                }
            }
            j -= 1
        }
        return nil
    }

    /// The static type of the postfix expression ending at `end` in `code`.
    func known(_ code: String, _ s: [Unicode.Scalar], endingAt end: Int) -> (text: String, known: Known)? {
        guard let text = postfixExpression(s, endingAt: end),
            let e = try? Parser.parseExpression(text, source: 0, offset: 0, line: 1, column: 1),
            let k = StaticTyper(completion: self, code: code).type(of: e)
        else { return nil }
        return (text, k)
    }
}
