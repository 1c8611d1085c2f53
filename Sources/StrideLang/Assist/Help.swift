import CNN

/// Documentation text for `help(…)` and inspection, from the builtin table and user declarations.
enum Help {
    /// What `help()` shows: where the documentation is, and the builtins by category.
    static var overview: String {
        let byCategory = Dictionary(grouping: Builtins.all.filter(\.isFunction), by: \.category)
        var lines = [
            "Stride: a tensor language for convolutional networks.",
            "",
            "help(name) documents a builtin, layer, method or your own func, op or layer; Tab completes names and",
            "members. The language reference is docs/language.md in the Stride repository; every builtin, with",
            "its signature and an example, is in docs/builtins.md next to it.",
            "",
        ]
        for category in Category.allCases {
            guard let names = byCategory[category]?.map(\.name).sorted(), !names.isEmpty else { continue }
            var line = "\(category.title):"
            for (i, name) in names.enumerated() {
                let item = " " + name + (i == names.count - 1 ? "" : ",")
                if line.count + item.count > 100 {
                    lines.append(line)
                    line = "   "
                }
                line += item
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func text(for v: Value) -> String {
        switch v {
        case .builtin(let b): return b.helpText
        case .function(let f):
            let kind = f.proto.kind == .op ? "op" : "func"
            return "\(kind) \(f.signature)"
                + (f.doc.map { "\n\n" + $0 } ?? "\n\n(declared at line \(f.proto.span.line))")
        case .layerType(let t):
            return "layer \(t.signature)" + (t.doc.map { "\n\n" + $0 } ?? "\n\n(declared at line \(t.span.line))")
        case .method(let m):
            if let e = m.entry { return e.helpText }
            if let fn = m.function { return text(for: .function(fn)) }
            return "\(m.receiver.typeName).\(m.name)"
        case .layer(let l):
            var s = l.treeDescription + "\n\nparameters: \(l.parameterCount)"
            if let declaration = l.declaration {
                s += "\n\nlayer \(declaration.signature)" + (declaration.doc.map { "\n\n" + $0 } ?? "")
            } else if let b = Builtins.table[l.typeName] {
                s += "\n\n" + b.helpText
            }
            return s
        case .tensor(let t):
            let members = Builtins.memberNames(.tensor).joined(separator: ", ")
            return "Tensor \(shapeString(t.shape)) \(t.dtype)\n\nmembers: " + members
        default:
            return "\(v.typeName): \(v.shortDescription)"
        }
    }
}
