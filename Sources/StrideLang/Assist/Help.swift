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
                + members(of: t, instance: nil)
        case .method(let m):
            if let e = m.entry { return e.helpText }
            if let fn = m.function { return text(for: .function(fn)) }
            return "\(m.receiver.typeName).\(m.name)"
        case .layer(let l):
            var s = l.treeDescription + "\n\nparameters: \(l.parameterCount)"
            if let declaration = l.declaration {
                s += "\n\nlayer \(declaration.signature)" + (declaration.doc.map { "\n\n" + $0 } ?? "")
                s += members(of: declaration, instance: l as? UserLayer)
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

    /// A user layer's fields (with their values when an instance is given) and its methods' signatures,
    /// `forward` first.
    static func members(of t: LayerType, instance: UserLayer?) -> String {
        let fields = t.proto.topLevel.filter { !$0.isFunction }.map(\.name)
        var s = ""
        if !fields.isEmpty {
            s += "\n\nfields:"
            for name in fields {
                let value = instance?.field(name).map { describe($0.value) }
                s += "\n  " + name + (value.map { ": " + $0 } ?? "")
            }
        }
        let methods = t.proto.methodSignatures.sorted {
            ($0.name == "forward" ? 0 : 1) < ($1.name == "forward" ? 0 : 1)
        }
        if !methods.isEmpty {
            s += "\n\nmethods:"
            for m in methods { s += "\n  func \(m.signature)" + (m.doc.map { " — " + $0 } ?? "") }
        }
        return s
    }

    /// A field's value in a few words: a layer as PyTorch prints its first line, a tensor's role and shape.
    private static func describe(_ v: Value) -> String {
        switch v {
        case .layer(let l):
            let config = l.children.isEmpty ? l.configDescription : ""
            return config.isEmpty ? l.typeName : "\(l.typeName)(\(config))"
        case .tensor(let t):
            let role = t.role == .parameter ? "parameter " : (t.role == .buffer ? "buffer " : "")
            return "\(role)Tensor \(shapeString(t.shape)) \(t.dtype)"
        default:
            return "\(v.typeName) \(v.shortDescription)"
        }
    }
}
