import CNN

/// The arguments of one builtin call, bound to the builtin's declared parameters: positional arguments in
/// order (read in place on the interpreter's stack), labelled ones by name, defaults from the declaration.
/// A body reads them only through the handles its declaration returned (`a[stride]`), each converted by the
/// type it was declared with, so no builtin parses its own arguments and the signature cannot drift from
/// the code. `context` is all of the session a builtin may use.
///
/// Nothing in it is reference counted on the call path: the entry is kept alive by the table, the values and
/// spans by the caller's stack and node for the duration of the call (strong in an internal-checks build).
struct Args {
    #if STRIDE_INTERNAL_CHECKS
        let builtin: Builtin
    #else
        unowned(unsafe) let builtin: Builtin
    #endif
    let span: Span
    let positional: UnsafeBufferPointer<Value>
    /// Spans of the positional arguments (the receiver, when there is one, has the call's span).
    let positionalSpans: UnsafeBufferPointer<Span>
    let spanOffset: Int
    /// Labelled arguments with the parameter each fills (nil when the call has none).
    let labelled: [(index: Int, value: Value, span: Span)]?
    let context: CallContext

    /// Every parameter of `b` given in order (`b.takesAllPositionally` and `positional.count == b.arity`, which
    /// the caller has checked): nothing to bind or check.
    @inline(__always) init(
        inOrder b: Builtin, positional: UnsafeBufferPointer<Value>, spans: UnsafeBufferPointer<Span>, spanOffset: Int,
        span: Span, context: CallContext
    ) {
        builtin = b
        self.span = span
        self.positional = positional
        self.positionalSpans = spans
        self.spanOffset = spanOffset
        self.context = context
        labelled = nil
    }

    /// Binds `positional` and `labelled` to `b`'s parameters (the receiver, when there is one, is the first
    /// positional value), checking counts, labels and required parameters.
    init(
        _ b: Builtin, positional: UnsafeBufferPointer<Value>, spans: UnsafeBufferPointer<Span>, spanOffset: Int,
        labelled labels: [(String, Value, Span)], span: Span, context: CallContext
    ) throws {
        builtin = b
        self.span = span
        self.positional = positional
        self.positionalSpans = spans
        self.spanOffset = spanOffset
        self.context = context
        // every parameter given in order: nothing to check
        if labels.isEmpty, b.takesAllPositionally, positional.count == b.arity {
            labelled = nil
            return
        }
        let receiverCount = b.receiver != nil && !b.isFunction ? 1 : 0
        if b.variadicIndex == nil, positional.count > b.fixedPositional {
            let takes = b.fixedPositional - receiverCount
            let given = positional.count - receiverCount
            throw StrideError(
                .type, "\(b.name) takes \(takes) positional argument\(takes == 1 ? "" : "s") but \(given) were given",
                span: spans.indices.contains(b.fixedPositional - spanOffset)
                    ? spans[b.fixedPositional - spanOffset] : span)
        }
        var bound: [(index: Int, value: Value, span: Span)] = []
        if !labels.isEmpty {
            bound.reserveCapacity(labels.count)
            for (label, v, s) in labels {
                guard let k = b.params.firstIndex(where: { $0.name == label && !$0.variadic }) else {
                    let known = b.labels.map { $0 + ":" }.joined(separator: ", ")
                    throw StrideError(
                        .type,
                        "\(b.name): unexpected argument label '\(label):'"
                            + (known.isEmpty ? "" : " (known: \(known))"), span: s)
                }
                if k != b.variadicIndex, let pi = b.positionalIndex[k], pi < positional.count {
                    throw StrideError(
                        .type, "\(b.name): argument '\(label)' given twice (by position and by label)", span: s)
                }
                bound.append((k, v, s))
            }
        }
        labelled = bound.isEmpty ? nil : bound
        for (k, param) in b.params.enumerated() where param.isRequired {
            let byPosition = b.positionalIndex[k].map { $0 < positional.count } ?? false
            if !byPosition && !bound.contains(where: { $0.index == k }) {
                throw StrideError(.type, "\(b.name): missing argument '\(param.name)' (\(param.type))", span: span)
            }
        }
    }

    // MARK: Reading parameters

    /// Parameter `k`'s argument as given (nil when it was not given).
    @inline(__always) func given(at k: Int) -> (Value, Span)? {
        // every parameter given in order (the call fast path): the argument is the k-th value
        if labelled == nil, builtin.takesAllPositionally, k < positional.count {
            return (positional[k], positionalSpan(k))
        }
        if k != builtin.variadicIndex, let pi = builtin.positionalIndex[k], pi < positional.count {
            return (positional[pi], positionalSpan(pi))
        }
        guard let labelled else { return nil }
        for l in labelled where l.index == k { return (l.value, l.span) }
        return nil
    }

    /// Parameter `k`'s value: as given, else its declared default (nil for `.none` and `.required`).
    @inline(__always) func raw(at k: Int) -> (Value, Span) {
        if let g = given(at: k) { return g }
        return (builtin.params[k].defaultValue.value, span)
    }

    @inline(__always) func positionalSpan(_ i: Int) -> Span {
        let j = i - spanOffset
        return j >= 0 && j < positionalSpans.count ? positionalSpans[j] : span
    }

    /// The argument for `k`, read as the type it was declared with. (A mutating read only so that the reader
    /// can point at the arguments while it runs; nothing changes.)
    @inline(__always) subscript<T: ArgumentType>(_ k: Arg<T>) -> T.Output {
        mutating get throws {
            try withUnsafeMutablePointer(to: &self) { p in
                // every parameter given in order (the call fast path): read the value where it lies on the stack
                let args = UnsafePointer(p)
                if p.pointee.labelled == nil, p.pointee.builtin.takesAllPositionally,
                    k.index < p.pointee.positional.count
                {
                    return try T.read(p.pointee.positional[k.index], ArgumentSite(args, index: k.index))
                }
                let (v, s) = p.pointee.raw(at: k.index)
                return try rt(s) { try T.read(v, ArgumentSite(args, index: k.index)) }
            }
        }
    }

    /// Every value of a variadic parameter, each read as `T`.
    subscript<T: ArgumentType>(_ k: RestArg<T>) -> [T.Output] {
        mutating get throws {
            try withUnsafeMutablePointer(to: &self) { p in
                guard let start = p.pointee.builtin.positionalIndex[k.index] else { return [] }
                return try (start..<Swift.max(start, p.pointee.positional.count)).map { i in
                    let s = p.pointee.positionalSpan(i)
                    return try rt(s) {
                        try T.read(p.pointee.positional[i], ArgumentSite(UnsafePointer(p), index: k.index, position: i))
                    }
                }
            }
        }
    }

    /// A shape given as varargs (`zeros(2, 3)`) or as one list (`zeros([2, 3])`).
    subscript(_ k: ShapeArg) -> [Int] {
        mutating get throws {
            let items = variadic(k.index)
            if items.count == 1 {
                let (v, s) = items[0]
                switch v {
                case .list(let l): return try l.items.map { try dim($0, s, k.infer) }
                case .tuple(let t): return try t.items.map { try dim($0, s, k.infer) }
                default: break
                }
            }
            return try items.map { try dim($0.0, $0.1, k.infer) }
        }
    }

    /// The values of variadic parameter `k` with their spans, unconverted.
    func values<T>(_ k: RestArg<T>) -> [(Value, Span)] { variadic(k.index) }

    /// The value given for `k` (or its default) with its span, unconverted.
    func raw<T>(_ k: Arg<T>) -> (Value, Span) { raw(at: k.index) }

    /// Whether the call gave `k` (by position or label) as something other than nil.
    func given<T>(_ k: Arg<T>) -> Bool {
        guard let g = given(at: k.index) else { return false }
        if case .none = g.0 { return false }
        return true
    }

    /// The span of `k`'s argument (the call's span when it was not given).
    func span<T>(of k: Arg<T>) -> Span { given(at: k.index)?.1 ?? span }

    func variadic(_ k: Int) -> [(Value, Span)] {
        guard let start = builtin.positionalIndex[k], start < positional.count else { return [] }
        return (start..<positional.count).map { (positional[$0], positionalSpan($0)) }
    }

    func dim(_ v: Value, _ s: Span, _ infer: Bool) throws -> Int {
        guard case .int(let d) = v else { throw error(.type, "shape sizes must be Int, got \(v.typeName)", s) }
        guard d >= 0 || (infer && d == -1) else { throw error(.value, "negative dimension size \(d)", s) }
        return d
    }

    /// An error in this builtin's name, at `at` (the call by default).
    func error(_ kind: ErrorKind, _ msg: String, _ at: Span? = nil) -> StrideError {
        StrideError(kind, "\(builtin.name): \(msg)", span: at ?? span)
    }
}
