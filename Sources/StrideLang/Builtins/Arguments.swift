import CNN

/// The arguments of one builtin call, bound to the builtin's declared parameters: positional arguments in
/// order (read in place on the interpreter's stack), labelled ones by name, defaults from the declaration.
/// Typed accessors produce the TypeError and ValueError messages, so no builtin parses its own arguments;
/// reading a parameter the declaration lacks is an internal error that the example test catches.
public struct Args {
    let builtin: Builtin
    let span: Span
    let positional: UnsafeBufferPointer<Value>
    /// Spans of the positional arguments (the receiver, when there is one, has the call's span).
    let positionalSpans: [Span]
    let spanOffset: Int
    /// Labelled arguments with the parameter each fills.
    let labelled: [(index: Int, value: Value, span: Span)]
    unowned(unsafe) let interp: Interpreter

    /// Binds `positional` and `labelled` to `b`'s parameters (the receiver, when there is one, is the first
    /// positional value), checking counts, labels and required parameters.
    init(
        _ b: Builtin, positional: UnsafeBufferPointer<Value>, spans: [Span], spanOffset: Int,
        labelled labels: [(String, Value, Span)], span: Span, interp: Interpreter
    ) throws {
        builtin = b
        self.span = span
        self.positional = positional
        self.positionalSpans = spans
        self.spanOffset = spanOffset
        self.interp = interp
        let receiverCount = b.receiver != nil && !b.isFunction ? 1 : 0
        if b.variadicIndex == nil, positional.count > b.fixedPositional {
            let takes = b.fixedPositional - receiverCount
            throw StrideError(
                .type,
                "\(b.name) takes \(takes) positional argument\(takes == 1 ? "" : "s") but \(positional.count - receiverCount) were given",
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
        labelled = bound
        for (k, param) in b.params.enumerated() where param.isRequired {
            let byPosition = b.positionalIndex[k].map { $0 < positional.count } ?? false
            if !byPosition && !bound.contains(where: { $0.index == k }) {
                throw StrideError(.type, "\(b.name): missing argument '\(param.name)' (\(param.type))", span: span)
            }
        }
    }

    // MARK: Reading parameters

    func index(_ name: String) throws -> Int {
        guard let k = builtin.params.firstIndex(where: { $0.name == name }) else {
            throw StrideError(
                .type, "internal: \(builtin.name) reads an argument '\(name)' its declaration lacks", span: span)
        }
        return k
    }

    func error(_ kind: ErrorKind, _ msg: String, _ at: Span? = nil) -> StrideError {
        StrideError(kind, "\(builtin.name): \(msg)", span: at ?? span)
    }

    func positionalSpan(_ i: Int) -> Span {
        let j = i - spanOffset
        return j >= 0 && j < positionalSpans.count ? positionalSpans[j] : span
    }

    /// Parameter `k`'s argument as given (nil when it was not given).
    func given(at k: Int) -> (Value, Span)? {
        if k != builtin.variadicIndex, let pi = builtin.positionalIndex[k], pi < positional.count {
            return (positional[pi], positionalSpan(pi))
        }
        for l in labelled where l.index == k { return (l.value, l.span) }
        return nil
    }

    /// The value of parameter `name` (the default when not given; nil when absent or nil).
    func optional(_ name: String) throws -> (Value, Span)? {
        let k = try index(name)
        let v: (Value, Span)
        if let g = given(at: k) {
            v = g
        } else {
            switch builtin.params[k].defaultValue {
            case .required, .none: return nil
            default: v = (builtin.params[k].defaultValue.value, span)
            }
        }
        if case .none = v.0 { return nil }
        return v
    }

    /// Whether the call gave `name` (positionally or by label, and not nil).
    func given(_ name: String) throws -> Bool {
        guard let g = given(at: try index(name)) else { return false }
        if case .none = g.0 { return false }
        return true
    }

    /// Any value, nil included.
    func value(_ name: String) throws -> Value {
        let k = try index(name)
        if let g = given(at: k) { return g.0 }
        return builtin.params[k].defaultValue.value
    }

    func spanOf(_ name: String) -> Span {
        guard let k = try? index(name), let g = given(at: k) else { return span }
        return g.1
    }

    func required(_ name: String) throws -> (Value, Span) {
        guard let r = try optional(name) else {
            throw error(.type, "missing argument '\(name)' (\(builtin.params[try index(name)].type))")
        }
        return r
    }

    func tensor(_ name: String) throws -> Tensor {
        let (v, s) = try required(name)
        if case .tensor(let t) = v { return t }
        return try interp.toTensor(v, s, "argument '\(name)'")
    }

    func optTensor(_ name: String) throws -> Tensor? {
        guard let (v, s) = try optional(name) else { return nil }
        return try interp.toTensor(v, s, "argument '\(name)'")
    }

    func int(_ name: String) throws -> Int {
        let (v, s) = try required(name)
        return try interp.intValue(v, s, "argument '\(name)'")
    }

    func optInt(_ name: String) throws -> Int? {
        guard let (v, s) = try optional(name) else { return nil }
        return try interp.intValue(v, s, "argument '\(name)'")
    }

    func double(_ name: String) throws -> Double {
        let (v, s) = try required(name)
        return try interp.number(v, s, "argument '\(name)'")
    }

    func optDouble(_ name: String) throws -> Double? {
        guard let (v, s) = try optional(name) else { return nil }
        return try interp.number(v, s, "argument '\(name)'")
    }

    func bool(_ name: String) throws -> Bool {
        let (v, s) = try required(name)
        guard case .bool(let b) = v else {
            throw error(.type, "argument '\(name)' must be a Bool (true or false), got \(v.typeName)", s)
        }
        return b
    }

    func string(_ name: String) throws -> String {
        let (v, s) = try required(name)
        guard case .string(let x) = v else {
            throw error(.type, "argument '\(name)' must be a String, got \(v.typeName)", s)
        }
        return x
    }

    func optString(_ name: String) throws -> String? {
        guard try optional(name) != nil else { return nil }
        return try string(name)
    }

    func layer(_ name: String) throws -> any Layer {
        let (v, s) = try required(name)
        return try interp.layerValue(v, s, "argument '\(name)'")
    }

    /// A callable value (function, closure, builtin, layer, method).
    func callable(_ name: String) throws -> Value {
        let (v, s) = try required(name)
        guard interp.isCallable(v) else {
            throw error(.type, "argument '\(name)' must be a function or closure, got \(v.typeName)", s)
        }
        return v
    }

    /// An `Int` or an `[h, w]` / `(h, w)` pair.
    func pair(_ name: String) throws -> IntPair {
        let (v, s) = try required(name)
        switch v {
        case .int(let x): return IntPair(x)
        case .list(let l) where l.items.count == 2:
            if case .int(let a) = l.items[0], case .int(let b) = l.items[1] { return IntPair(a, b) }
        case .tuple(let t) where t.items.count == 2:
            if case .int(let a) = t.items[0], case .int(let b) = t.items[1] { return IntPair(a, b) }
        default: break
        }
        throw error(.type, "argument '\(name)' must be an Int or a pair of Ints, got \(v.repr)", s)
    }

    func optPair(_ name: String) throws -> IntPair? { try optional(name) == nil ? nil : try pair(name) }

    /// An Int or a list of Ints (`dim: [0, 2]`).
    func ints(_ name: String) throws -> [Int]? {
        guard let (v, s) = try optional(name) else { return nil }
        switch v {
        case .int(let x): return [x]
        case .list(let l): return try l.items.map { try interp.intValue($0, s, "'\(name)'") }
        case .tuple(let t): return try t.items.map { try interp.intValue($0, s, "'\(name)'") }
        default: throw error(.type, "argument '\(name)' must be an Int or a list of Ints, got \(v.typeName)", s)
        }
    }

    /// The element type: `dtype: "float64"`.
    func dtype(_ name: String = "dtype") throws -> DType? {
        guard let (v, s) = try optional(name) else { return nil }
        guard case .string(let str) = v, let d = DType(name: str) else {
            throw error(.value, "dtype must be \"float32\", \"float64\" or \"int64\", got \(v.repr)", s)
        }
        return d
    }

    /// The variadic parameter's values with their spans.
    var variadic: [(Value, Span)] {
        guard let k = builtin.variadicIndex, let start = builtin.positionalIndex[k], start < positional.count else {
            return []
        }
        return (start..<positional.count).map { (positional[$0], positionalSpan($0)) }
    }

    /// The variadic values.
    var restValues: [Value] { variadic.map(\.0) }

    /// A shape given as varargs (`zeros(2, 3)`) or as one list (`zeros([2, 3])`); sizes may be -1 when `infer`.
    func shape(infer: Bool = false) throws -> [Int] {
        let items = variadic
        if items.count == 1 {
            let (v, s) = items[0]
            switch v {
            case .list(let l): return try l.items.map { try dim($0, s, infer) }
            case .tuple(let t): return try t.items.map { try dim($0, s, infer) }
            default: break
            }
        }
        return try items.map { try dim($0.0, $0.1, infer) }
    }

    func dim(_ v: Value, _ s: Span, _ infer: Bool) throws -> Int {
        guard case .int(let d) = v else { throw error(.type, "shape sizes must be Int, got \(v.typeName)", s) }
        guard d >= 0 || (infer && d == -1) else { throw error(.value, "negative dimension size \(d)", s) }
        return d
    }
}
