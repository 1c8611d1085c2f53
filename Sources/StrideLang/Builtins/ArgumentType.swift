import CNN

/// Where an argument is being read: which parameter of which call. Its name, the span of the value and the
/// call's context (a layer argument may be a function that must call back into the session) are looked up only
/// when asked for, which is when a read fails: a successful read costs two words.
struct ArgumentSite {
    /// The call's arguments, valid while the read runs.
    private let args: UnsafePointer<Args>
    /// The parameter's index in the declaration.
    let index: Int
    /// For one value of a variadic parameter, its positional index; else -1.
    private let position: Int

    init(_ args: UnsafePointer<Args>, index: Int, position: Int = -1) {
        self.args = args
        self.index = index
        self.position = position
    }

    /// The span of the value (the call's when it was not given).
    var span: Span {
        position >= 0 ? args.pointee.positionalSpan(position) : args.pointee.given(at: index)?.1 ?? args.pointee.span
    }
    var context: CallContext { args.pointee.context }
    /// The builtin's name, for messages.
    var builtin: String { args.pointee.builtin.name }
    /// The parameter's name.
    var name: String { args.pointee.builtin.params[index].name }
    /// How messages name it: "argument 'stride'".
    var what: String { "argument '\(name)'" }
}

/// A type a builtin parameter is declared with. Its `valueType` is what signatures, `help`, completion and the
/// docs show; `read` is the one conversion from a language value, with the error a user reads.
protocol ArgumentType: SendableMetatype {
    associatedtype Output = Self
    static var valueType: ValueType { get }
    /// The default when a declaration gives none: required, or nil for optional types.
    static var implicitDefault: DefaultValue { get }
    /// Whether a lone value stands for a one-element list of this type (`dim: 1` for `dim: [1]`).
    static var standsAlone: Bool { get }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Output
}

extension ArgumentType {
    static var implicitDefault: DefaultValue { .required }
    static var standsAlone: Bool { false }
}

/// Any value, unconverted.
extension Value: ArgumentType {
    static var valueType: ValueType { .any }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Value { v }
}

extension Int: ArgumentType {
    static var valueType: ValueType { .int }
    static var standsAlone: Bool { true }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Int { try intValue(v, at.span, at.what) }
}

/// A Float parameter (an Int or a one-element tensor is accepted).
extension Double: ArgumentType {
    static var valueType: ValueType { .float }
    static var standsAlone: Bool { true }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Double { try number(v, at.span, at.what) }
}

extension Bool: ArgumentType {
    static var valueType: ValueType { .bool }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Bool {
        guard case .bool(let b) = v else {
            throw StrideError(.type, "\(at.what) must be a Bool (true or false), got \(v.typeName)", span: at.span)
        }
        return b
    }
}

extension String: ArgumentType {
    static var valueType: ValueType { .string }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> String {
        try expect(v, at, valueType) { if case .string(let s) = $0 { s } else { nil } }
    }
}

/// An Int or a Float, kept as given (`round(3)` is the Int 3).
enum Number: ArgumentType {
    case int(Int)
    case float(Double)

    static var valueType: ValueType { .number }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Number {
        if case .int(let i) = v { return .int(i) }
        return .float(try number(v, at.span, at.what))
    }

    var double: Double {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        }
    }
}

/// A number or a tensor (or a nested list of numbers), kept as given: functions that work on both
/// (`abs`, `exp`, `sum`) decide by the value.
enum NumberOrTensor: ArgumentType {
    static var valueType: ValueType { .tensorLike }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Value {
        switch v {
        case .int, .float, .bool, .tensor, .list, .tuple: return v
        default:
            throw StrideError(.type, "\(at.what) must be a number or a tensor, got \(v.typeName)", span: at.span)
        }
    }
}

/// A tensor; numbers and nested lists of numbers are converted (Float32).
extension Tensor: ArgumentType {
    static var valueType: ValueType { .tensorLike }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Tensor {
        if case .tensor(let t) = v { return t }
        return try toTensor(v, at.span, at.what)
    }
}

/// An Int or an (h, w) pair, as a list or tuple.
extension IntPair: ArgumentType {
    static var valueType: ValueType { .pair }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> IntPair {
        switch v {
        case .int(let x): return IntPair(x)
        case .list(let l) where l.items.count == 2:
            if case .int(let a) = l.items[0], case .int(let b) = l.items[1] { return IntPair(a, b) }
        case .tuple(let t) where t.items.count == 2:
            if case .int(let a) = t.items[0], case .int(let b) = t.items[1] { return IntPair(a, b) }
        default: break
        }
        throw StrideError(.type, "\(at.what) must be an Int or a pair of Ints, got \(v.repr)", span: at.span)
    }
}

/// `"float32"`, `"float64"` or `"int64"`.
extension DType: ArgumentType {
    static var valueType: ValueType { .dtype }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> DType {
        guard case .string(let s) = v, let d = DType(name: s) else {
            throw StrideError(
                .value, "dtype must be \"float32\", \"float64\" or \"int64\", got \(v.repr)", span: at.span)
        }
        return d
    }
}

/// nil, or a value of the wrapped type.
extension Optional: ArgumentType where Wrapped: ArgumentType {
    typealias Output = Wrapped.Output?
    static var valueType: ValueType { .optional(Wrapped.valueType) }
    static var implicitDefault: DefaultValue { .nilValue }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Wrapped.Output? {
        if case .none = v { return nil }
        return try Wrapped.read(v, at)
    }
}

/// A list (or tuple) whose elements are each read as `Element`; a lone Int or Float stands for a list of one.
extension Array: ArgumentType where Element: ArgumentType {
    typealias Output = [Element.Output]
    static var valueType: ValueType { .listOf(Element.valueType) }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> [Element.Output] {
        let items: [Value]
        switch v {
        case .list(let l): items = l.items
        case .tuple(let t): items = t.items
        default:
            guard Element.standsAlone else {
                throw StrideError(
                    .type, "\(at.what) must be a list of \(Element.valueType), got \(v.typeName)", span: at.span)
            }
            return [try Element.read(v, at)]
        }
        return try items.map { try Element.read($0, at) }
    }
}

/// A layer or model; a function or closure becomes a layer that calls it (a `Sequential` stage).
enum LayerArgument: ArgumentType {
    static var valueType: ValueType { .layer }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> any Layer {
        try at.context.layer(from: v, at.span, at.what)
    }
}

/// A function, closure, builtin, method, layer or layer type: anything callable.
enum Callable: ArgumentType {
    static var valueType: ValueType { .function }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Value {
        guard isCallable(v) else {
            throw StrideError(
                .type, "\(at.what) must be a function or closure, got \(v.typeName)", span: at.span)
        }
        return v
    }
}

enum OptimizerArgument: ArgumentType {
    static var valueType: ValueType { .optimizer }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> any Optimizer {
        try expect(v, at, valueType) { if case .optimizer(let o) = $0 { o } else { nil } }
    }
}

/// The value of one case of `Value`, or a TypeError saying what was wanted.
func expect<T>(_ v: Value, _ at: ArgumentSite, _ what: ValueType, _ get: (Value) -> T?) throws -> T {
    guard let x = get(v) else {
        throw StrideError(.type, "\(at.what) must be a \(what), got \(v.typeName)", span: at.span)
    }
    return x
}

extension ListRef: ArgumentType {
    static var valueType: ValueType { .list }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> ListRef {
        try expect(v, at, valueType) { if case .list(let l) = $0 { l } else { nil } }
    }
}

extension TupleRef: ArgumentType {
    static var valueType: ValueType { .tuple }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> TupleRef {
        try expect(v, at, valueType) { if case .tuple(let t) = $0 { t } else { nil } }
    }
}

extension DictRef: ArgumentType {
    static var valueType: ValueType { .dict }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> DictRef {
        try expect(v, at, valueType) { if case .dict(let d) = $0 { d } else { nil } }
    }
}

extension Generator: ArgumentType {
    static var valueType: ValueType { .generator }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> Generator {
        try expect(v, at, valueType) { if case .generator(let g) = $0 { g } else { nil } }
    }
}

/// An integer range `lo..<hi`.
struct IntRange: ArgumentType {
    let lower: Int
    let upper: Int

    static var valueType: ValueType { .range }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> IntRange {
        try expect(v, at, valueType) {
            if case .range(let lo, let hi) = $0 { IntRange(lower: lo, upper: hi) } else { nil }
        }
    }
}

/// One of a fixed set of strings (`mode: "nearest"`), read as the enum whose raw values they are.
enum Choice<E: RawRepresentable & CaseIterable & Sendable>: ArgumentType where E.RawValue == String {
    static var valueType: ValueType { .choice(E.allCases.map(\.rawValue)) }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> E {
        if case .string(let s) = v, let e = E(rawValue: s) { return e }
        let options = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        throw StrideError(.value, "\(at.what) must be one of \(options), got \(v.repr)", span: at.span)
    }
}
