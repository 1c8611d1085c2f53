import CNN
import Render

/// Completion and inspection. Both read the builtin and method tables and the session's
/// bindings; neither runs user code. Cursors count Unicode code points.
struct Completion {
    let session: Session

    static let keywordList = ["let", "var", "func", "return", "if", "else", "for", "in", "while", "break", "continue", "true", "false", "nil"]

    static func isIdent(_ c: Unicode.Scalar) -> Bool { Lexer.isIdentChar(c) }

    /// Member names a value offers after `.`.
    static func memberNames(of v: Value) -> [String] {
        var names = Array(Methods.table(for: v).keys)
        switch v {
        case .tensor: names += ["shape", "ndim", "count", "dtype", "T", "grad", "requires_grad", "is_leaf", "grad_fn"]
        case .layer(let l):
            names += ["output", "parameters", "training"] + l.namedParameters.map { $0.0 } + l.namedBuffers.map { $0.0 } + l.children.map { $0.0 }.filter { Int($0) == nil }
            if l is Sequential { names += ["count", "layers"] }
            if l is Conv2d || l is Linear { names.append("bias") }
        case .list: names += ["count", "isEmpty", "first", "last"]
        case .optimizer: names += ["lr", "params"]
        case .record(let r): names += r.items.map { $0.0 } + ["keys"]
        case .string: names += ["count", "isEmpty"]
        case .range: names += ["count", "lowerBound", "upperBound"]
        default: break
        }
        return Array(Set(names)).sorted()
    }

    /// Resolves a dotted chain of names without calling anything.
    func resolve(_ chain: [String]) -> Value? {
        guard let first = chain.first else { return nil }
        var v: Value
        if let b = session.interp.globals.lookup(first) { v = b.value } else if let b = Builtins.table[first] { v = .builtin(b) } else { return nil }
        for name in chain.dropFirst() {
            switch v {
            case .layer(let l): guard let m = session.interp.layerMember(l, name) else { return nil }; v = m
            case .tensor(let t) where name == "grad": guard let g = t.grad else { return nil }; v = .tensor(g)
            case .record(let r): guard let m = r[name] else { return nil }; v = m
            default: return nil
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
        var depth = 0, j = pos - 1
        var inString = false
        while j >= 0 {
            let c = s[j]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" { depth += 1 } else if c == "[" { if depth == 0 { return nil }; depth -= 1 }
                else if c == "(" {
                    if depth == 0 { let ch = chain(s, before: j); return ch.isEmpty ? nil : ch }
                    depth -= 1
                }
                else if c == "\n" && depth == 0 { }
            }
            j -= 1
        }
        return nil
    }

    func labels(for callee: [String]) -> [String] {
        if callee.count == 1, let b = Builtins.table[callee[0]] { return b.labels }
        if let v = resolve(callee) {
            if case .function(let f) = v { return f.decl.params.filter { $0.defaultValue != nil }.map { $0.name } }
            if case .builtin(let b) = v { return b.labels }
        }
        if callee.count >= 2, let recv = resolve(Array(callee.dropLast())), let m = Methods.table(for: recv)[callee[callee.count - 1]] {
            return Builtin(name: "", signature: m.signature, summary: "", example: "", category: "", run: { _, _ in .none }).labels
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
                if p == .keyword("func") { out.append((n, "function")) }
            }
            prev = t.kind
        }
        return out
    }

    func complete(_ code: String, cursor: Int) -> Completions {
        let s = Array(code.unicodeScalars)
        let cur = Swift.max(0, Swift.min(cursor, s.count))
        var start = cur
        while start > 0 && Self.isIdent(s[start - 1]) { start -= 1 }
        let prefix = String(String.UnicodeScalarView(s[start..<cur]))
        var cands: [(String, String)] = []
        if start > 0 && s[start - 1] == "." {
            let recv = chain(s, before: start - 1)
            if let v = resolve(recv) {
                let methods = Methods.table(for: v)
                cands = Self.memberNames(of: v).map { ($0, methods[$0] != nil ? "method" : "property") }
            }
        } else {
            if let callee = enclosingCall(s, before: start) {
                cands += labels(for: callee).map { ($0 + ":", "label") }
            }
            for (n, b) in session.interp.globals.entries { cands.append((n, b.value.typeName == "Function" ? "function" : "variable")) }
            cands += declaredNames(String(String.UnicodeScalarView(s[..<start])))
            for b in Builtins.all { cands.append((b.name, b.category == "layer" ? "class" : "function")) }
            cands += Self.keywordList.map { ($0, "keyword") }
        }
        var seen = Set<String>()
        let filtered = cands.filter { $0.0.hasPrefix(prefix) && seen.insert($0.0).inserted }
            .sorted { ($0.1 == "label" ? 0 : 1, $0.0) < ($1.1 == "label" ? 0 : 1, $1.0) }
        return Completions(matches: filtered.map { $0.0 }, start: start, end: cur, types: filtered.map { $0.1 })
    }

    func inspect(_ code: String, cursor: Int, detail: Int) -> MIMEBundle? {
        let s = Array(code.unicodeScalars)
        var cur = Swift.max(0, Swift.min(cursor, s.count))
        var end = cur
        while end < s.count && Self.isIdent(s[end]) { end += 1 }
        if end == cur, cur > 0, s[cur - 1] == "(" { cur -= 1; end = cur }
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
                if t.count > 0 {
                    let vals = t.values
                    text += "\nmin \(vals.min() ?? 0), max \(vals.max() ?? 0), mean \(vals.reduce(0, +) / Double(vals.count))"
                }
                if detail > 0 { text += "\n\n" + TensorFormatter.describe(t) }
            case .builtin, .function, .method: text = Help.text(for: v)
            case .layer(let l): text += "\nparameters: \(l.parameterCount)" + (detail > 0 ? "\n\n" + l.treeDescription : "")
            default: text += "\nvalue: \(v.shortDescription)"
            }
        } else if ch.count >= 2, let recv = resolve(Array(ch.dropLast())), let m = Methods.table(for: recv)[ch[ch.count - 1]] {
            text = "\(recv.typeName).\(m.signature)\n\n\(m.summary)"
        } else { return nil }
        return MIMEBundle(data: ["text/plain": text])
    }
}
