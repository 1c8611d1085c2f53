import CNN

/// Documentation text for `help(…)` and inspection, all from the builtin and method tables.
enum Help {
    static func text(for v: Value) -> String {
        switch v {
        case .builtin(let b): return b.helpText
        case .function(let f):
            return f.signature + (f.decl.doc.map { "\n\n" + $0 } ?? "\n\n(user function declared at line \(f.decl.span.line))")
        case .method(let r, let n):
            if let m = Methods.table(for: r)[n] { return "\(r.typeName).\(m.signature)\n\n\(m.summary)" }
            return "\(r.typeName).\(n)"
        case .layer(let l):
            let doc = Builtins.table[l.typeName].map { "\n\n" + $0.helpText } ?? ""
            return l.treeDescription + "\n\nparameters: \(l.parameterCount)" + doc
        case .tensor(let t):
            return "Tensor \(shapeString(t.shape)) \(t.dtype)\n\nmethods: " + Methods.tensor.keys.sorted().joined(separator: ", ")
        default:
            return "\(v.typeName): \(v.shortDescription)"
        }
    }
}
