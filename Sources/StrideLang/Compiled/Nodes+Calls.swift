import CNN

/// `f(a, b, label: c)`: arguments go on the interpreter's stack, where a user function's frame begins.
final class CallNode: Node {
    let callee: Node
    let args: [Node]
    let labels: [(String, Node, Span)]
    let argSpans: [Span]

    init(callee: Node, args: [Node], labels: [(String, Node, Span)], span: Span) {
        self.callee = callee
        self.args = args
        self.labels = labels
        self.argSpans = args.map(\.span)
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let fn = try callee.eval(&f)
        let interp = f.interp
        let base = interp.stack.top
        defer { interp.stack.pop(to: base) }
        for a in args { try interp.stack.push(try a.eval(&f), a.span) }
        if labels.isEmpty, case .function(let fn) = fn, fn.proto.isSimple, fn.proto.params.count == args.count {
            try interp.checkInterrupt(span)
            return try interp.invoke(fn, base: base, span: span)
        }
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
    let args: [Node]
    let labels: [(String, Node, Span)]
    let argSpans: [Span]

    init(receiver: Node, name: String, args: [Node], labels: [(String, Node, Span)], span: Span) {
        self.receiver = receiver
        self.entries = MemberEntries(name)
        self.args = args
        self.labels = labels
        self.argSpans = args.map(\.span)
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let recv = try receiver.eval(&f)
        let interp = f.interp
        var direct: Builtin? = nil
        switch recv {
        case .layer, .dict, .tuple, .builtin:
            break  // fields, keys, elements and statics come first
        default:
            if let e = entries.entry(for: recv), !e.isProperty { direct = e }
        }
        let base = interp.stack.top
        defer { interp.stack.pop(to: base) }
        // a builtin with a fast path: the receiver goes on the stack first, then the arguments, and the fast
        // path reads them there (no argument binding, no shifting)
        if let direct, let fast = direct.fast, labels.isEmpty, args.count + 1 == direct.params.count {
            try interp.stack.push(recv, receiver.span)
            for a in args { try interp.stack.push(try a.eval(&f), a.span) }
            try interp.checkInterrupt(span)
            let buffer = UnsafeBufferPointer(start: interp.stack.base + base, count: args.count + 1)
            return try interp.rt(span) { try fast(buffer, interp, span) }
        }
        let callee: Value? = direct == nil ? try interp.member(recv, entries, span) : nil
        for a in args { try interp.stack.push(try a.eval(&f), a.span) }
        var labelled: [(String, Value, Span)] = []
        if !labels.isEmpty {
            for (n, e, s) in labels { labelled.append((n, try e.eval(&f), s)) }
        }
        if let direct {
            try interp.checkInterrupt(span)
            return try interp.callBuiltin(
                direct, receiver: recv, base: base, labelled: labelled, spans: argSpans, span: span)
        }
        return try interp.call(callee ?? .none, base: base, labelled: labelled, spans: argSpans, span: span)
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
