import CNN
import Render

/// Completion and inspection. Both read the builtin table and the session's globals and never run user
/// code; a call's type comes from the table's return types. Cursors count Unicode code points.
struct Completion {
    let session: Session

    static func isIdent(_ c: Unicode.Scalar) -> Bool { Lexer.isIdentChar(c) }

    /// Member names a value offers after `.`.
    static func memberNames(of v: Value) -> [String] {
        var names: [String] = Receiver.of(v).map { Builtins.memberNames($0) } ?? []
        switch v {
        case .layer(let l): names += l.ownMemberNames
        case .dict(let d): names += d.keys.compactMap { if case .string(let s) = $0 { s } else { nil } }
        case .builtin(let b): names += b.statics.map(\.0)
        case .rich(let r): names += r.fields.map(\.name)
        case .tuple(let t): names += t.attributes.map(\.name)
        default: break
        }
        return Array(Set(names)).sorted()
    }

    /// Resolves a dotted chain of names without calling anything.
    func resolve(_ chain: [String]) -> Value? {
        guard let first = chain.first else { return nil }
        var v: Value
        if let b = session.interp.globals.lookup(first) {
            v = b
        } else if let b = Builtins.table[first] {
            v = .builtin(b)
        } else {
            return nil
        }
        for name in chain.dropFirst() {
            switch v {
            case .layer(let l):
                guard let m = try? session.interp.layerMember(l, name) else { return nil }
                v = m
            case .tensor(let t) where name == "grad":
                guard let g = t.grad else { return nil }
                v = .tensor(g)
            case .dict(let d):
                guard let m = d[.string(name)] else { return nil }
                v = m
            default:
                return nil
            }
        }
        return v
    }

    /// The dotted chain ending just before `end` (`model.fc1` in `model.fc1.we`).
    func chain(_ s: [Unicode.Scalar], before end: Int) -> [String] {
        var parts: [String] = []
        var j = end
        while j > 0 {
            var k = j
            while k > 0 && Self.isIdent(s[k - 1]) { k -= 1 }
            guard k < j else { break }
            parts.insert(String(String.UnicodeScalarView(s[k..<j])), at: 0)
            if k > 0 && s[k - 1] == "." { j = k - 1 } else { break }
        }
        return parts
    }

    /// The callee of the innermost unclosed `(` before `pos`, as a chain.
    func enclosingCall(_ s: [Unicode.Scalar], before pos: Int) -> [String]? {
        var depth = 0
        var j = pos - 1
        var inString = false
        while j >= 0 {
            let c = s[j]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" {
                    depth += 1
                } else if c == "[" {
                    if depth == 0 { return nil }
                    depth -= 1
                } else if c == "(" {
                    if depth == 0 {
                        let ch = chain(s, before: j)
                        return ch.isEmpty ? nil : ch
                    }
                    depth -= 1
                }
            }
            j -= 1
        }
        return nil
    }

    func labels(for callee: [String]) -> [String] {
        if callee.count == 1, session.interp.globals.lookup(callee[0]) == nil, let b = Builtins.table[callee[0]] {
            return b.labels
        }
        if let v = resolve(callee) {
            switch v {
            case .function(let f): return f.proto.params.filter { $0.defaultValue != nil }.map(\.name)
            case .layerType(let t): return t.proto.params.filter { $0.defaultValue != nil }.map(\.name)
            case .builtin(let b): return b.labels
            default: break
            }
        }
        if callee.count >= 2, let recv = resolve(Array(callee.dropLast())), let r = Receiver.of(recv),
            let m = Builtins.entry(r, callee[callee.count - 1])
        {
            return m.labels
        }
        return []
    }

    /// Names declared (not yet run) earlier in the code being edited: `let x`, `var y`, `func f`, `for i in`.
    func declaredNames(_ text: String) -> [(String, String)] {
        var lx = Lexer(text)
        var out: [(String, String)] = []
        var prev: Token.Kind? = nil
        while let t = try? lx.next(), t.kind != .eof {
            if case .identifier(let n) = t.kind, let p = prev {
                if p == .keyword("let") || p == .keyword("var") || p == .keyword("for") { out.append((n, "variable")) }
                if p == .keyword("func") || p == .identifier("op") { out.append((n, "function")) }
                if p == .identifier("layer") { out.append((n, "class")) }
            }
            prev = t.kind
        }
        return out
    }

    func kind(of v: Value) -> String {
        switch v {
        case .function, .builtin: "function"
        case .layerType: "class"
        default: "variable"
        }
    }

    func complete(_ code: String, cursor: Int) -> Completions {
        let s = Array(code.unicodeScalars)
        let cur = Swift.max(0, Swift.min(cursor, s.count))
        var start = cur
        while start > 0 && Self.isIdent(s[start - 1]) { start -= 1 }
        let prefix = String(String.UnicodeScalarView(s[start..<cur]))
        var cands: [(String, String)] = []
        if start > 0 && s[start - 1] == "." {
            let k: Known? =
                resolve(chain(s, before: start - 1)).map { .value($0) }
                ?? known(String(String.UnicodeScalarView(s[..<start])), s, endingAt: start - 1)?.known
            if let k {
                let r = k.receiver
                let names: [String]
                switch k {
                case .value(let v): names = Self.memberNames(of: v)
                case .type(_, let extra):
                    names = Array(Set((r.map { Builtins.memberNames($0) } ?? []) + extra)).sorted()
                }
                cands = names.map { n in
                    let e = r.flatMap { Builtins.entry($0, n) }
                    return (n, e.map { $0.isProperty ? "property" : "method" } ?? "property")
                }
            }
        } else {
            if let callee = enclosingCall(s, before: start) {
                cands += labels(for: callee).map { ($0 + ":", "label") }
            }
            for (n, v) in session.interp.globals.bound { cands.append((n, kind(of: v))) }
            cands += declaredNames(String(String.UnicodeScalarView(s[..<start])))
            for b in Builtins.all where b.isFunction {
                cands.append((b.name, b.category.constructs ? "class" : "function"))
            }
            cands += (Keywords.reserved + Keywords.contextual).map { ($0, "keyword") }
        }
        var seen = Set<String>()
        let filtered = cands.filter { $0.0.hasPrefix(prefix) && seen.insert($0.0).inserted }
            .sorted { ($0.1 == "label" ? 0 : 1, $0.0) < ($1.1 == "label" ? 0 : 1, $1.0) }
        return Completions(matches: filtered.map(\.0), start: start, end: cur, types: filtered.map(\.1))
    }

    func inspect(_ code: String, cursor: Int, detail: Int) -> MIMEBundle? {
        let s = Array(code.unicodeScalars)
        var cur = Swift.max(0, Swift.min(cursor, s.count))
        var end = cur
        while end < s.count && Self.isIdent(s[end]) { end += 1 }
        if end == cur, cur > 0, s[cur - 1] == "(" {
            cur -= 1
            end = cur
        }
        // an expression that ends in a call or subscript (`randn(2, 3).T`, `model[0]`): its static type
        if end == cur, cur > 0, s[cur - 1] == ")" || s[cur - 1] == "]",
            let (text, k) = known(String(String.UnicodeScalarView(s[..<cur])), s, endingAt: cur)
        {
            if case .value(let v) = k, case .layer(let l) = v {
                return MIMEBundle(data: ["text/plain": "\(text): \(v.typeName)\nparameters: \(l.parameterCount)"])
            }
            return MIMEBundle(data: ["text/plain": "\(text): \(k.typeName)"])
        }
        var ch = chain(s, before: end)
        if ch.isEmpty, let callee = enclosingCall(s, before: cur) { ch = callee }
        guard !ch.isEmpty else { return nil }
        var text: String
        if ch.count == 1, session.interp.globals.lookup(ch[0]) == nil, let b = Builtins.table[ch[0]] {
            text = b.helpText
        } else if let v = resolve(ch) {
            text = "\(ch.joined(separator: ".")): \(v.typeName)"
            switch v {
            case .tensor(let t):
                text += "\nshape: \(shapeString(t.shape))\ndtype: \(t.dtype)\nrequires_grad: \(t.requiresGrad)"
                if t.count > 0, t.count <= 10_000_000 {
                    let vals = t.values
                    text +=
                        "\nmin \(vals.min() ?? 0), max \(vals.max() ?? 0), mean \(vals.reduce(0, +) / Double(vals.count))"
                }
                if detail > 0 { text += "\n\n" + TensorFormatter.describe(t) }
            case .builtin, .function, .method, .layerType:
                text = Help.text(for: v)
            case .layer(let l):
                text += "\nparameters: \(l.parameterCount)" + (detail > 0 ? "\n\n" + l.treeDescription : "")
            default:
                text += "\nvalue: \(v.shortDescription)"
            }
        } else if ch.count >= 2, let recv = resolve(Array(ch.dropLast())), let r = Receiver.of(recv),
            let m = Builtins.entry(r, ch[ch.count - 1])
        {
            text = m.helpText
        } else if let (exprText, k) = known(String(String.UnicodeScalarView(s[..<end])), s, endingAt: end) {
            text = "\(exprText): \(k.typeName)"
        } else {
            return nil
        }
        return MIMEBundle(data: ["text/plain": text])
    }
}
