import CNN

/// `f(a, b, label: c)`: arguments go on the interpreter's stack, where a user function's frame begins.
final class CallNode: Node {
    let callee: Node
    let args: NodeList<Node>
    let labels: [(String, Node, Span)]
    let argSpans: [Span]
    /// The callee's global binding, when the callee is a global name.
    let global: GlobalCell?

    init(callee: Node, args: [Node], labels: [(String, Node, Span)], span: Span) {
        self.callee = callee
        self.args = NodeList(args)
        self.labels = labels
        self.argSpans = args.map(\.span)
        self.global = (callee as? GlobalNode)?.cell
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        // a constant global function is borrowed from its binding, not copied out of it
        if let ref = global?.constantFunction {
            return try ref.with { fn in
                if labels.isEmpty, fn.proto.isSimple, fn.proto.arity == args.count { return try simple(fn, &f) }
                return try evaluated(&f)
            }
        }
        return try evaluated(&f)
    }

    /// A simple function given exactly its parameters: arguments go straight into its frame.
    @inline(__always) func simple(_ fn: Function, _ f: inout Frame) throws -> Value {
        let stack = f.stack
        let base = stack.top
        defer { stack.pop(to: base) }
        for i in 0..<args.count { try stack.push(try args.eval(i, &f), span) }
        if stack.interrupted { throw f.interp.interrupted(span) }
        return try runSimple(fn, base: base, caller: &f, span: span)
    }

    /// The callee evaluated to a value first.
    func evaluated(_ f: inout Frame) throws -> Value {
        let fn = try callee.eval(&f)
        if labels.isEmpty, case .function(let fn) = fn, fn.proto.isSimple, fn.proto.arity == args.count {
            return try simple(fn, &f)
        }
        let interp = f.interp
        let base = interp.stack.top
        defer { interp.stack.pop(to: base) }
        for i in 0..<args.count { try interp.stack.push(try args.eval(i, &f), span) }
        return try general(fn, base, &f)
    }

    /// Every other call: labels, defaults, builtins, layers, layer types, ops.
    @inline(never) func general(_ fn: Value, _ base: Int, _ f: inout Frame) throws -> Value {
        var labelled: [(String, Value, Span)] = []
        for (n, e, s) in labels { labelled.append((n, try e.eval(&f), s)) }
        return try f.interp.call(fn, base: base, labelled: labelled, spans: argSpans, span: span)
    }
}

/// `x.name(args)`: a builtin member is called directly with the receiver (no bound-method value is made);
/// a user layer's method or field, or anything else, goes through `member`.
final class MethodCallNode: Node {
    let receiver: Node
    let entries: MemberEntries
    let args: NodeList<Node>
    let labels: [(String, Node, Span)]
    let argSpans: [Span]

    init(receiver: Node, name: String, args: [Node], labels: [(String, Node, Span)], span: Span) {
        self.receiver = receiver
        self.entries = MemberEntries(name)
        self.args = NodeList(args)
        self.labels = labels
        self.argSpans = args.map(\.span)
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let recv = try receiver.eval(&f)
        switch recv {
        case .layer, .dict, .tuple, .builtin:
            break  // fields, keys, elements and statics come first
        default:
            if let ref = entries.ref(for: recv) {
                return try ref.with { entry in
                    if entry.isProperty { return try viaMember(recv, &f) }
                    return try builtin(entry, recv, &f)
                }
            }
        }
        return try viaMember(recv, &f)
    }

    /// A builtin member, called with the receiver as its first argument.
    @inline(__always) func builtin(_ entry: Builtin, _ recv: Value, _ f: inout Frame) throws -> Value {
        let stack = f.stack
        let base = stack.top
        defer { stack.pop(to: base) }
        // every parameter given in order: the receiver goes on the stack first, then the arguments, and the
        // builtin reads them there (no label binding, no shifting)
        if labels.isEmpty, entry.takesAllPositionally, args.count + 1 == entry.arity {
            try stack.push(recv, span)
            for i in 0..<args.count { try stack.push(try args.eval(i, &f), span) }
            if stack.interrupted { throw f.interp.interrupted(span) }
            let buffer = UnsafeBufferPointer(start: stack.base + base, count: args.count + 1)
            let context = CallContext(f.interp, span: span)
            return try argSpans.withUnsafeBufferPointer { spans in
                var a = Args(
                    inOrder: entry, positional: buffer, spans: spans, spanOffset: 1, span: span, context: context)
                do {
                    return try entry.run(&a)
                } catch let e as CNNError {
                    throw StrideError(e, span: span)
                }
            }
        }
        for i in 0..<args.count { try stack.push(try args.eval(i, &f), span) }
        let labelled = try evaluatedLabels(&f)
        try f.interp.checkInterrupt(span)
        return try f.interp.callBuiltin(
            entry, receiver: recv, base: base, labelled: labelled, spans: argSpans, span: span)
    }

    /// Anything else: the member's value (a user layer's method, a field holding a function, a bound
    /// builtin), then called.
    func viaMember(_ recv: Value, _ f: inout Frame) throws -> Value {
        let interp = f.interp
        let base = interp.stack.top
        defer { interp.stack.pop(to: base) }
        let callee = try interp.member(recv, entries, span)
        for i in 0..<args.count { try interp.stack.push(try args.eval(i, &f), span) }
        return try interp.call(
            callee, base: base, labelled: try evaluatedLabels(&f), spans: argSpans, span: span)
    }

    func evaluatedLabels(_ f: inout Frame) throws -> [(String, Value, Span)] {
        var labelled: [(String, Value, Span)] = []
        for (n, e, s) in labels { labelled.append((n, try e.eval(&f), s)) }
        return labelled
    }
}

/// `x.name`.
final class MemberNode: Node {
    let object: Node
    let entries: MemberEntries

    init(object: Node, name: String, span: Span) {
        self.object = object
        self.entries = MemberEntries(name)
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let obj = try object.eval(&f)
        return try f.interp.member(obj, entries, span)
    }
}

/// The call fast path: a simple function given exactly its parameters, already pushed from `base`. Touches
/// no reference counts: the function is borrowed by the caller, the stack and depth are reached through
/// `stack`, the body through its unretained reference.
@inline(__always)
func runSimple(_ fn: Function, base: Int, caller: inout Frame, span: Span) throws -> Value {
    let proto = fn.proto
    let stack = caller.stack
    let depth = stack.callDepth
    guard depth < stack.maxCallDepth else { throw caller.interp.tooDeep(proto.name, span) }
    stack.callDepth = depth + 1
    defer { stack.callDepth = depth }
    let extra = proto.localCount - (stack.top - base)
    if extra > 0 { _ = try stack.reserve(extra, span) }
    var frame = Frame(calling: fn, locals: stack.base + base, from: caller)
    do {
        if let returned = proto.returnedRef {
            return try returned.with { try $0.eval(&frame) }
        }
        _ = try proto.bodyRef.with { try $0.exec(&frame) }
    } catch {
        throw caller.interp.addingFrame(error, proto.name, span)
    }
    return frame.returnValue
}
