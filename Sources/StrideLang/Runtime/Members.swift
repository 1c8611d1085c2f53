import CNN

/// The builtin members of `name` for each receiver type, looked up once when a member expression is
/// compiled (so `x.sum` does no dictionary work when it runs).
struct MemberEntries {
    let name: String
    // Table entries live as long as the process (the builtin table is static), so they are kept unretained
    // and a call borrows them (retained in an internal-checks build).
    private let entries: [BuiltinRef?]

    init(_ name: String) {
        self.name = name
        entries = Receiver.allCases.map { r in Builtins.entry(r, name).map { BuiltinRef($0) } }
    }

    /// The table entry for a receiver value, if its type has this member.
    @inline(__always) func ref(for v: Value) -> BuiltinRef? {
        guard let r = Receiver.of(v) else { return nil }
        return entries[r.rawValue]
    }

    /// The table entry for a receiver value, if its type has this member.
    func entry(for v: Value) -> Builtin? { ref(for: v)?.object }
}

extension Interpreter {
    /// `obj.name`: a field, parameter or child of a layer, a property's value, or a method bound to `obj`.
    func member(_ obj: Value, _ m: MemberEntries, _ s: Span) throws -> Value {
        let name = m.name
        switch obj {
        case .layer(let l):
            if let v = try layerMember(l, name) { return v }
        case .tuple(let t):
            if let a = t.attributes.first(where: { $0.name == name }) { return a.value }
            if let i = Int(name) {
                guard i >= 0 && i < t.items.count else {
                    throw StrideError(.index, "a tuple of \(t.items.count) has no element .\(i)", span: s)
                }
                return t.items[i]
            }
        case .dict(let d):
            if m.ref(for: obj) == nil, let v = d[.string(name)] { return v }
        case .builtin(let b):
            if let st = b.statics.first(where: { $0.0 == name }) { return st.1() }
        case .rich(let r):
            if let f = r.fields.first(where: { $0.name == name }) { return f.value }
        default:
            break
        }
        if let entry = m.entry(for: obj) {
            if entry.isProperty {
                let base = stack.top
                defer { stack.pop(to: base) }
                return try callBuiltin(entry, receiver: obj, base: base, labelled: [], spans: [], span: s)
            }
            return .method(BoundMethod(receiver: obj, name: name, entry: entry))
        }
        throw StrideError(.name, "a \(obj.typeName) has no member '\(name)'\(memberHint(obj, name))", span: s)
    }

    /// What a layer has under `name` besides the table's members: a user layer's field or method, a
    /// parameter, buffer or child, or nil for an empty optional parameter slot (`bias` of `bias: false`).
    func layerMember(_ l: any Layer, _ name: String) throws -> Value? {
        if let own = (l as? UserLayer)?.ownMember(name) { return own }
        if let p = l.namedParameters.first(where: { $0.0 == name }) { return .tensor(p.1) }
        if let b = l.namedBuffers.first(where: { $0.0 == name }) { return .tensor(b.1) }
        if let c = l.children.first(where: { $0.0 == name }) { return .layer(c.1) }
        if l.optionalParameterNames.contains(name) { return Value.none }
        return nil
    }

    /// `obj.name = v`: a settable property from the table (`x.requires_grad`, `opt.lr`, `m.training`), a
    /// layer's field, parameter or child, or a dictionary's key.
    func setMember(_ obj: Value, _ name: String, _ v: Value, _ s: Span) throws {
        // a layer's own fields, parameters and children come before the table's properties
        if case .layer(let l) = obj, try layerMember(l, name) != nil {
            return try setLayerMember(l, name, v, s)
        }
        if let r = Receiver.of(obj), let entry = Builtins.entry(r, name), entry.isProperty {
            guard let set = entry.setter else {
                throw StrideError(
                    .type, "cannot set member '\(name)' of a \(obj.typeName)\(settableHint(r))", span: s)
            }
            return try set(obj, v, CallContext(self, span: s), s)
        }
        switch obj {
        case .layer(let l):
            try setLayerMember(l, name, v, s)
        case .dict(let d):
            try rt(s) { try d.set(.string(name), v) }
        default:
            let hint = Receiver.of(obj).map(settableHint) ?? ""
            throw StrideError(.type, "cannot set member '\(name)' of a \(obj.typeName)\(hint)", span: s)
        }
    }

    /// " (settable: lr)": the table's settable properties of a receiver type.
    func settableHint(_ r: Receiver) -> String {
        let names = (Builtins.members[r] ?? [:]).values.filter { $0.setter != nil }.map(\.name).sorted()
        return names.isEmpty ? "" : " (settable: \(names.joined(separator: ", ")))"
    }

    func setLayerMember(_ l: any Layer, _ name: String, _ v: Value, _ s: Span) throws {
        if let u = l as? UserLayer, let cell = u.field(name) {
            // a parameter or buffer slot keeps its role; a layer slot takes a layer; plain fields take anything
            if case .tensor(let old) = cell.value, old.role != .plain {
                let t: Tensor? = v.isNil ? nil : try toTensor(v, s, name)
                _ = try rt(s) { try u.setParameter(name, t) }
                return
            }
            cell.value = v  // fields may be reassigned from outside, as module attributes in PyTorch
            return
        }
        switch v {
        case .layer(let nl):
            if try rt(s, { try l.setChild(name, nl) }) { return }
        case .none:
            if try rt(s, { try l.setParameter(name, nil) }) { return }
        default:
            let t = try toTensor(v, s, "\(l.typeName).\(name)")
            if try rt(s, { try l.setParameter(name, t) }) { return }
        }
        throw StrideError(.type, "cannot set member '\(name)' of a \(l.typeName)", span: s)
    }

    func memberHint(_ obj: Value, _ name: String) -> String {
        let names = Completion.memberNames(of: obj)
        guard let best = names.map({ ($0, editDistance($0, name)) }).filter({ $0.1 <= 2 }).min(by: { $0.1 < $1.1 })
        else {
            if case .rich(let r) = obj, !r.fields.isEmpty {
                return "; its fields: " + r.fields.map(\.name).joined(separator: ", ")
            }
            return ""
        }
        return "; did you mean '\(best.0)'?"
    }
}
