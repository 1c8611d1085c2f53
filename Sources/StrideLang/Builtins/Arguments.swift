import CNN

/// The arguments of one call, with typed accessors that produce the TypeError and
/// ValueError messages. No builtin parses its own arguments.
struct Arguments {
    let callee: String
    let span: Span
    var positional: [(Value, Span)]
    var labelled: [(String, Value, Span)]
    var used = Set<String>()
    var usedPositional = 0
    unowned let interp: Interpreter

    var count: Int { positional.count }

    func error(_ kind: ErrorKind, _ msg: String, _ at: Span? = nil) -> StrideError { StrideError(kind, "\(callee): \(msg)", span: at ?? span) }

    /// Positional argument `i`, or nil.
    mutating func at(_ i: Int) -> Value? {
        guard i < positional.count else { return nil }
        usedPositional = Swift.max(usedPositional, i + 1)
        return positional[i].0
    }
    func spanOf(_ i: Int) -> Span { i < positional.count ? positional[i].1 : span }
    /// A labelled argument, or nil.
    mutating func label(_ name: String) -> Value? {
        guard let a = labelled.first(where: { $0.0 == name }) else { return nil }
        used.insert(name)
        if case .none = a.1 { return nil }
        return a.1
    }
    func labelSpan(_ name: String) -> Span { labelled.first { $0.0 == name }?.2 ?? span }
    /// Positional `i`, else labelled `name`.
    mutating func get(_ i: Int?, _ name: String) -> (Value, Span)? {
        if let i, let v = at(i) {
            if case .none = v { return nil }     // an explicit nil is "not given"
            return (v, spanOf(i))
        }
        if let v = label(name) { return (v, labelSpan(name)) }
        return nil
    }

    /// Checks no positional or labelled argument went unused.
    func finish() throws {
        if usedPositional < positional.count {
            throw error(.type, "takes \(usedPositional) positional argument\(usedPositional == 1 ? "" : "s") but \(positional.count) were given", positional[usedPositional].1)
        }
        if let extra = labelled.first(where: { !used.contains($0.0) }) {
            let known = used.sorted()
            throw error(.type, "unexpected argument label '\(extra.0):'\(known.isEmpty ? "" : " (known here: \(known.map { $0 + ":" }.joined(separator: ", ")))")", extra.2)
        }
    }

    // MARK: Typed accessors
    mutating func tensor(_ i: Int?, _ name: String) throws -> Tensor {
        guard let (v, s) = get(i, name) else { throw error(.type, "missing argument '\(name)'") }
        return try interp.toTensor(v, s, "argument '\(name)'")
    }
    mutating func optTensor(_ i: Int?, _ name: String) throws -> Tensor? {
        guard let (v, s) = get(i, name) else { return nil }
        return try interp.toTensor(v, s, "argument '\(name)'")
    }
    mutating func int(_ i: Int?, _ name: String, default d: Int? = nil) throws -> Int {
        guard let (v, s) = get(i, name) else {
            if let d { return d }
            throw error(.type, "missing argument '\(name)' (an Int)")
        }
        switch v {
        case .int(let x): return x
        case .float(let f) where f == f.rounded() && Swift.abs(f) < 1e15: return Int(f)
        case .bool(let b): return b ? 1 : 0
        default: throw error(.type, "argument '\(name)' must be an Int, got \(v.typeName)", s)
        }
    }
    mutating func optInt(_ i: Int?, _ name: String) throws -> Int? {
        guard get(i, name) != nil else { return nil }
        return try int(i, name)
    }
    mutating func double(_ i: Int?, _ name: String, default d: Double? = nil) throws -> Double {
        guard let (v, s) = get(i, name) else {
            if let d { return d }
            throw error(.type, "missing argument '\(name)' (a number)")
        }
        switch v {
        case .int(let x): return Double(x)
        case .float(let f): return f
        case .tensor(let t) where t.count == 1: return try t.item()
        default: throw error(.type, "argument '\(name)' must be a number, got \(v.typeName)", s)
        }
    }
    mutating func optDouble(_ i: Int?, _ name: String) throws -> Double? {
        guard get(i, name) != nil else { return nil }
        return try double(i, name)
    }
    mutating func bool(_ i: Int?, _ name: String, default d: Bool) throws -> Bool {
        guard let (v, s) = get(i, name) else { return d }
        guard case .bool(let b) = v else { throw error(.type, "argument '\(name)' must be a Bool (true or false), got \(v.typeName)", s) }
        return b
    }
    mutating func string(_ i: Int?, _ name: String, default d: String? = nil) throws -> String {
        guard let (v, s) = get(i, name) else {
            if let d { return d }
            throw error(.type, "missing argument '\(name)' (a String)")
        }
        guard case .string(let x) = v else { throw error(.type, "argument '\(name)' must be a String, got \(v.typeName)", s) }
        return x
    }
    /// Any value, `nil` included.
    mutating func value(_ i: Int?, _ name: String) throws -> Value {
        if let i, let v = at(i) { return v }
        if labelled.contains(where: { $0.0 == name }) { used.insert(name); return labelled.first { $0.0 == name }?.1 ?? .none }
        throw error(.type, "missing argument '\(name)'")
    }
    mutating func layer(_ i: Int?, _ name: String) throws -> any Layer {
        guard let (v, s) = get(i, name) else { throw error(.type, "missing argument '\(name)' (a layer or model)") }
        guard case .layer(let l) = v else { throw error(.type, "argument '\(name)' must be a layer or model, got \(v.typeName)", s) }
        return l
    }
    /// An `Int` or an `[h, w]` / `(h, w)` pair.
    mutating func pair(_ i: Int?, _ name: String, default d: IntPair? = nil) throws -> IntPair {
        guard let (v, s) = get(i, name) else {
            if let d { return d }
            throw error(.type, "missing argument '\(name)' (an Int or a pair)")
        }
        switch v {
        case .int(let x): return IntPair(x)
        case .list(let l) where l.items.count == 2:
            if case .int(let a) = l.items[0], case .int(let b) = l.items[1] { return IntPair(a, b) }
        case .tuple(let t) where t.count == 2:
            if case .int(let a) = t[0], case .int(let b) = t[1] { return IntPair(a, b) }
        default: break
        }
        throw error(.type, "argument '\(name)' must be an Int or a pair of Ints, got \(v.repr)", s)
    }
    /// A shape given as varargs (`zeros(2, 3)`) or one list (`zeros([2, 3])`), from positional `from` on.
    mutating func shape(from: Int = 0) throws -> [Int] {
        var dims: [Int] = []
        if let v = at(from), positional.count == from + 1 {
            switch v {
            case .list(let l): dims = try l.items.map { try dim($0, spanOf(from)) }; return dims
            case .tuple(let t): dims = try t.map { try dim($0, spanOf(from)) }; return dims
            default: break
            }
        }
        for i in from..<positional.count {
            guard let v = at(i) else { break }
            dims.append(try dim(v, spanOf(i)))
        }
        return dims
    }
    func dim(_ v: Value, _ s: Span) throws -> Int {
        guard case .int(let d) = v else { throw error(.type, "shape sizes must be Int, got \(v.typeName)", s) }
        guard d >= 0 else { throw error(.value, "negative dimension size \(d)", s) }
        return d
    }
    mutating func ints(_ i: Int?, _ name: String) throws -> [Int]? {
        guard let (v, s) = get(i, name) else { return nil }
        switch v {
        case .int(let x): return [x]
        case .list(let l): return try l.items.map { guard case .int(let x) = $0 else { throw error(.type, "'\(name)' must hold Ints", s) }; return x }
        case .tuple(let t): return try t.map { guard case .int(let x) = $0 else { throw error(.type, "'\(name)' must hold Ints", s) }; return x }
        default: throw error(.type, "argument '\(name)' must be an Int or a list of Ints, got \(v.typeName)", s)
        }
    }
    mutating func dtype(_ name: String = "dtype") throws -> DType {
        guard let (v, s) = get(nil, name) else { return .float32 }
        guard case .string(let str) = v, let d = DType(name: str) else {
            throw error(.value, "dtype must be \"float32\" or \"float64\", got \(v.repr)", s)
        }
        return d
    }
}
