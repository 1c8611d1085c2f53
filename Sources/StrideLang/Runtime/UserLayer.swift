public import CNN

/// A `layer` declaration: calling it runs the body once with the arguments bound and returns a new layer
/// whose fields are the body's top-level bindings and whose methods are its `func`s.
public final class LayerType {
    let proto: FunctionProto
    let captures: [Cell]
    public let name: String
    public let doc: String?
    public let signature: String
    public let span: Span

    init(proto: FunctionProto, captures: [Cell], name: String, doc: String?, signature: String, span: Span) {
        self.proto = proto
        self.captures = captures
        self.name = name
        self.doc = doc
        self.signature = signature
        self.span = span
    }
}

/// An instance of a user `layer`: as good as a built-in layer everywhere (containers, optimisers,
/// state dicts, summaries, activation maps), because it answers the `Layer` protocol from its fields:
/// a field holding a layer (or a list of layers) is a sublayer, a `parameter(t)` a parameter, a `buffer(t)`
/// a buffer, anything else a plain value.
public final class UserLayer: Layer {
    let type: LayerType
    /// The fields, in declaration order: the body's top-level `let`/`var` (their cells are shared with the
    /// methods, so `b.conv1 = Conv2d(…)` is seen by `forward`).
    var fields: [(name: String, cell: Cell)] = []
    var methods: [(name: String, function: Function)] = []
    weak var interp: Interpreter?
    public var output: Tensor?
    public var isTraining = true

    init(type: LayerType, interp: Interpreter) {
        self.type = type
        self.interp = interp
    }

    public var typeName: String { type.name }

    func field(_ name: String) -> Cell? { fields.first { $0.name == name }?.cell }
    func method(_ name: String) -> Function? { methods.first { $0.name == name }?.function }

    /// A field's value or a method bound to this layer.
    func ownMember(_ name: String) -> Value? {
        if let c = field(name) { return c.value }
        if let fn = method(name) {
            return .method(BoundMethod(receiver: .layer(self), name: name, entry: nil, function: fn))
        }
        return nil
    }

    public var namedParameters: [(String, Tensor)] {
        fields.compactMap { f in
            if case .tensor(let t) = f.cell.value, t.role == .parameter { return (f.name, t) }
            return nil
        }
    }

    public var namedBuffers: [(String, Tensor)] {
        fields.compactMap { f in
            if case .tensor(let t) = f.cell.value, t.role == .buffer { return (f.name, t) }
            return nil
        }
    }

    public var children: [(String, any Layer)] {
        fields.compactMap { f in
            switch f.cell.value {
            case .layer(let l):
                return (f.name, l)
            case .list(let list)
            where !list.items.isEmpty && list.items.allSatisfy({ if case .layer = $0 { true } else { false } }):
                let view = LayerList(
                    { list.items.compactMap { if case .layer(let l) = $0 { l } else { nil } } },
                    replace: { i, l in list.set(i, .layer(l)) })
                return (f.name, view)
            default:
                return nil
            }
        }
    }

    public var showsAsUnit: Bool { false }

    public func setParameter(_ name: String, _ value: Tensor?) throws -> Bool {
        guard let cell = field(name), case .tensor(let old) = cell.value, old.role != .plain else { return false }
        guard let value else {
            throw CNNError.type(
                "\(typeName).\(name) is a \(old.role == .buffer ? "buffer" : "parameter") and cannot be nil")
        }
        cell.value = .tensor(
            old.role == .buffer
                ? try adoptBuffer(value, replacing: old, name: name)
                : try adoptParameter(value, replacing: old, name: name))
        return true
    }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard let cell = field(name), case .layer = cell.value else { return false }
        cell.value = .layer(layer)
        return true
    }

    /// The runtime's path (a container calling this layer): one tensor in, one tensor out.
    public func forward(_ x: Tensor) throws -> Tensor {
        guard let interp, let fn = method("forward") else {
            throw CNNError.value("\(typeName) has no forward method")
        }
        let span = interp.layerCallSites.last ?? type.span
        let y = try interp.apply(.function(fn), [.tensor(x)], span: span)
        guard case .tensor(let t) = y else {
            throw StrideError(
                .type, "\(typeName).forward returned a \(y.typeName); inside a container it must return a Tensor",
                span: span)
        }
        return t
    }

    /// The language's path: `b(x, …)` with as many arguments as `forward` takes, already on the stack.
    func call(base: Int, labelled: [(String, Value, Span)], span: Span) throws -> Value {
        guard let interp, let fn = method("forward") else {
            throw StrideError(.type, "\(typeName) has no forward method", span: span)
        }
        var input: Tensor? = nil
        if interp.stack.top > base, case .tensor(let x) = interp.stack.base[base] { input = x }
        var result = Value.none
        let y = try rt(span) {
            try invoke(input: input) { () throws -> Tensor? in
                result = try interp.callingLayer(span) {
                    try interp.callFunction(fn, base: base, labelled: labelled, span: span)
                }
                if case .tensor(let t) = result { return t }
                return nil
            }
        }
        if let y { return .tensor(y) }
        return result
    }
}

extension Layer {
    /// The names a layer answers to besides the table's members: a user layer's fields and methods, its
    /// parameters, buffers, named children and optional parameter slots (completion after `m.`).
    var ownMemberNames: [String] {
        var names = (self as? UserLayer).map { $0.fields.map(\.name) + $0.methods.map(\.name) } ?? []
        names += namedParameters.map(\.0) + namedBuffers.map(\.0) + children.map(\.0).filter { Int($0) == nil }
        return names + optionalParameterNames
    }

    /// The `layer` declaration a user layer was built from (nil for the runtime's layers).
    var declaration: LayerType? { (self as? UserLayer)?.type }
}

/// A function or closure used as a layer (a `Sequential` stage): `Sequential(Conv2d(…), { x in x * 2 })`.
final class FunctionLayer: Layer {
    let callee: Value
    weak var interp: Interpreter?
    let span: Span
    var output: Tensor?
    var isTraining = true

    init(_ callee: Value, interp: Interpreter, span: Span) {
        self.callee = callee
        self.interp = interp
        self.span = span
    }

    var typeName: String { "Lambda" }
    var configDescription: String {
        switch callee {
        case .function(let f): f.proto.kind == .closure ? "closure at line \(f.proto.span.line)" : f.signature
        case .builtin(let b): b.name
        default: callee.typeName
        }
    }

    func forward(_ x: Tensor) throws -> Tensor {
        guard let interp else { throw CNNError.value("the session that defined this function has ended") }
        let y = try interp.apply(callee, [.tensor(x)], span: interp.layerCallSites.last ?? span)
        guard case .tensor(let t) = y else {
            throw StrideError(.type, "a function used as a layer must return a Tensor, got \(y.typeName)", span: span)
        }
        return t
    }

    func call(base: Int, span: Span) throws -> Value {
        guard let interp, interp.stack.top - base == 1 else {
            throw StrideError(.type, "a Lambda layer is called with one input tensor", span: span)
        }
        let x = try toTensor(interp.stack.base[base], span, "the input of a Lambda layer")
        return .tensor(try interp.callingLayer(span) { try rt(span) { try self(x) } })
    }
}

extension Interpreter {
    /// `Block(3, 64, stride: 2)`: runs the layer body with the arguments and collects fields and methods.
    func construct(_ t: LayerType, base: Int, labelled: [(String, Value, Span)], span: Span) throws -> Value {
        let layer = UserLayer(type: t, interp: self)
        let proto = t.proto
        let given = try bindParameters(proto, base: base, labelled: labelled, span: span)
        guard callDepth < maxCallDepth else {
            throw StrideError(
                .recursion, "maximum recursion depth (\(maxCallDepth) calls) exceeded building \(t.name)", span: span)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let owner = Function(proto: proto, captures: t.captures, owner: layer)
        let cells: [Cell]
        do {
            (_, cells) = try runKeepingCells(
                proto, function: owner, captures: t.captures, base: base, given: given, span: span)
        } catch var e as StrideError {
            e.callStack.append(StackFrame(function: t.name, callSite: span))
            throw e
        }
        for (entry, cell) in zip(proto.topLevel, cells) {
            if entry.isFunction, case .function(let fn) = cell.value {
                fn.owner = layer
                layer.methods.append((entry.name, fn))
            } else {
                layer.fields.append((entry.name, cell))
            }
        }
        return .layer(layer)
    }

    /// Calls an `op`: runs the body with recording off, then records one node whose backward is the
    /// closure the body returned.
    func callOp(_ fn: Function, base: Int, labelled: [(String, Value, Span)], span: Span) throws -> Value {
        let proto = fn.proto
        let given = try bindParameters(proto, base: base, labelled: labelled, span: span)
        guard callDepth < maxCallDepth else {
            throw StrideError(
                .recursion, "maximum recursion depth (\(maxCallDepth) calls) exceeded in \(proto.name)", span: span)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let result: Value
        do {
            result = try withNoGrad {
                try run(proto, function: fn, captures: fn.captures, base: base, given: given, span: span)
            }
        } catch var e as StrideError {
            e.callStack.append(StackFrame(function: proto.name, callSite: span))
            throw e
        }
        // the arguments, as bound (defaults included), are in the frame's first slots
        var inputs: [(name: String, tensor: Tensor)] = []
        var tensorPositions: [Int] = []
        for (i, p) in proto.params.enumerated() {
            if case .tensor(let t) = stack.base[base + i] {
                inputs.append((p.name, t))
                tensorPositions.append(i)
            }
        }
        let argumentCount = proto.params.count
        guard case .tuple(let pair) = result, pair.items.count == 2, case .tensor(let out) = pair.items[0],
            isCallable(pair.items[1])
        else {
            throw StrideError(
                .type, "op \(proto.name) must return (output tensor, backward closure), got \(result.typeName)",
                span: span)
        }
        let backward = pair.items[1]
        let y = out.detach()
        let name = proto.name
        return .tensor(
            Tensor.recordCustom(y, name: name, inputs: inputs.map(\.tensor)) { [weak self] g in
                guard let self else { throw CNNError.value("the session that defined op \(name) has ended") }
                let r = try withNoGrad { try self.apply(backward, [.tensor(g)], span: span) }
                var grads: [Value]
                if case .tuple(let t) = r { grads = t.items } else { grads = [r] }
                // one gradient per tensor argument, or (as torch.autograd.Function) one per argument with nil
                // for the ones that are not tensors
                if grads.count == argumentCount && argumentCount != inputs.count {
                    for (i, gv) in grads.enumerated() where !tensorPositions.contains(i) {
                        guard case .none = gv else {
                            throw StrideError(
                                .type, "op \(name): argument \(i + 1) is not a tensor, so its gradient must be nil",
                                span: span)
                        }
                    }
                    grads = tensorPositions.map { grads[$0] }
                }
                guard grads.count == inputs.count else {
                    let listed = inputs.map(\.name).joined(separator: ", ")
                    throw StrideError(
                        .value,
                        "op \(name): the backward closure returned \(grads.count) gradient\(grads.count == 1 ? "" : "s") "
                            + "for \(inputs.count) tensor argument\(inputs.count == 1 ? "" : "s") (\(listed))",
                        span: span)
                }
                return try zip(grads, inputs).map { gv, input in
                    if case .none = gv { return nil }
                    let gt = try toTensor(gv, span, "the gradient for '\(input.name)'")
                    guard gt.shape == input.tensor.shape else {
                        throw StrideError(
                            .shape,
                            "op \(name): the gradient for argument '\(input.name)' has shape \(shapeString(gt.shape)), "
                                + "expected \(shapeString(input.tensor.shape))", span: span)
                    }
                    return try gt.to(input.tensor.dtype)
                }
            })
    }
}
