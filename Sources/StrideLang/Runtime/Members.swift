import CNN

/// The builtin members of `name` for each receiver type, looked up once when a member expression is
/// compiled (so `x.sum` does no dictionary work when it runs).
struct MemberEntries {
    let name: String
    // Table entries live as long as the process (the builtin table is static), so they are kept unretained
    // and a call borrows them.
    let tensor: Unmanaged<Builtin>?, layer: Unmanaged<Builtin>?, list: Unmanaged<Builtin>?
    let tuple: Unmanaged<Builtin>?, dict: Unmanaged<Builtin>?, string: Unmanaged<Builtin>?
    let range: Unmanaged<Builtin>?, optimizer: Unmanaged<Builtin>?, generator: Unmanaged<Builtin>?
    let function: Unmanaged<Builtin>?

    init(_ name: String) {
        func entry(_ r: Receiver) -> Unmanaged<Builtin>? {
            Builtins.member(r, name).map { .passUnretained($0) }
        }
        self.name = name
        tensor = entry(.tensor)
        layer = entry(.layer)
        list = entry(.list)
        tuple = entry(.tuple)
        dict = entry(.dict)
        string = entry(.string)
        range = entry(.range)
        optimizer = entry(.optimizer)
        generator = entry(.generator)
        function = entry(.function)
    }

    /// The table entry for a receiver value, if its type has this member, unretained.
    @inline(__always) func ref(for v: Value) -> Unmanaged<Builtin>? {
        switch v {
        case .tensor: tensor
        case .layer: layer
        case .list: list
        case .tuple: tuple
        case .dict: dict
        case .string: string
        case .range: range
        case .optimizer: optimizer
        case .generator: generator
        case .function, .builtin, .method, .layerType: function
        default: nil
        }
    }

    /// The table entry for a receiver value, if its type has this member.
    func entry(for v: Value) -> Builtin? { ref(for: v)?.takeUnretainedValue() }
}

extension Interpreter {
    /// `obj.name`: a field, parameter or child of a layer, a property's value, or a method bound to `obj`.
    func member(_ obj: Value, _ m: MemberEntries, _ s: Span) throws -> Value {
        let name = m.name
        switch obj {
        case .layer(let l):
            if let v = try layerMember(l, name) { return v }
        case .tuple(let t):
            if let i = Int(name) {
                guard i >= 0 && i < t.items.count else {
                    throw StrideError(.index, "a tuple of \(t.items.count) has no element .\(i)", span: s)
                }
                return t.items[i]
            }
        case .dict(let d):
            if m.dict == nil, let v = d[.string(name)] { return v }
        case .builtin(let b):
            if let st = b.statics.first(where: { $0.0 == name }) { return st.1() }
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
        if let u = l as? UserLayer {
            if let c = u.field(name) { return c.value }
            if let fn = u.method(name) {
                return .method(BoundMethod(receiver: .layer(l), name: name, entry: nil, function: fn))
            }
        }
        if let p = l.namedParameters.first(where: { $0.0 == name }) { return .tensor(p.1) }
        if let b = l.namedBuffers.first(where: { $0.0 == name }) { return .tensor(b.1) }
        if let c = l.children.first(where: { $0.0 == name }) { return .layer(c.1) }
        if l.optionalParameterNames.contains(name) { return Value.none }
        return nil
    }

    /// `obj.name = v`.
    func setMember(_ obj: Value, _ name: String, _ v: Value, _ s: Span) throws {
        switch obj {
        case .tensor(let t):
            switch name {
            case "requires_grad":
                guard case .bool(let b) = v else { throw StrideError(.type, "requires_grad must be a Bool", span: s) }
                try rt(s) { try t.setRequiresGrad(b) }
            case "grad":
                if case .none = v {
                    t.grad = nil
                    return
                }
                let g = try toTensor(v, s, "grad", like: t)
                guard g.shape == t.shape else {
                    throw StrideError(
                        .shape,
                        "grad must have the tensor's shape \(shapeString(t.shape)), got \(shapeString(g.shape))",
                        span: s)
                }
                t.grad = g
            default:
                throw StrideError(
                    .type, "cannot set member '\(name)' of a Tensor (settable: requires_grad, grad)", span: s)
            }
        case .optimizer(let o):
            guard name == "lr" else {
                throw StrideError(.type, "cannot set member '\(name)' of a \(o.typeName) (settable: lr)", span: s)
            }
            o.lr = try number(v, s, "lr")
        case .layer(let l):
            try setLayerMember(l, name, v, s)
        case .dict(let d):
            d[.string(name)] = v
        default:
            throw StrideError(.type, "cannot set member '\(name)' of a \(obj.typeName)", span: s)
        }
    }

    func setLayerMember(_ l: any Layer, _ name: String, _ v: Value, _ s: Span) throws {
        if name == "training" {
            guard case .bool(let b) = v else { throw StrideError(.type, "training must be a Bool", span: s) }
            l.train(b)
            return
        }
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
            return ""
        }
        return "; did you mean '\(best.0)'?"
    }
}
