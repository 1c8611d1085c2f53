import CNN

/// A parameter's default, as data (so the signature shown and the value used cannot disagree).
public enum DefaultValue: Sendable, Equatable {
    case required
    /// nil (`Optional.none` would read as "no default given" where a `DefaultValue?` is expected).
    case nilValue
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)

    var value: Value {
        switch self {
        case .required, .nilValue: .none
        case .int(let i): .int(i)
        case .float(let d): .float(d)
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        }
    }

    var text: String {
        switch self {
        case .required: ""
        case .nilValue: "nil"
        case .int(let i): String(i)
        case .float(let d): formatFloat(d)
        case .bool(let b): b ? "true" : "false"
        case .string(let s): Value.string(s).repr
        }
    }
}

extension DefaultValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral v: Int) { self = .int(v) }
    public init(floatLiteral v: Double) { self = .float(v) }
    public init(booleanLiteral v: Bool) { self = .bool(v) }
    public init(stringLiteral v: String) { self = .string(v) }
    public init(nilLiteral: ()) { self = .nilValue }
}

/// One declared parameter of a builtin, as data: binding, signatures, labels in completion, `help`,
/// inspection and `docs/builtins.md` all read it.
public struct Param: Sendable {
    public let name: String
    public let type: ValueType
    public let defaultValue: DefaultValue
    /// Given by label only (it comes after the positional ones).
    public let labelOnly: Bool
    /// Takes every remaining positional argument (`zeros(2, 3)`, `print(a, b)`).
    public let variadic: Bool
    public let doc: String

    public var isRequired: Bool { defaultValue == .required && !variadic }
}

/// A handle to a declared parameter: `a[k]` reads the argument as `T.Output`, through the same `T` whose
/// `valueType` the signature shows, so what `help` says a builtin takes is what it reads.
struct Arg<T: ArgumentType>: Sendable {
    let index: Int
}

/// A handle to a variadic parameter: `a[k]` reads every remaining positional argument as `T.Output`.
struct RestArg<T: ArgumentType>: Sendable {
    let index: Int
}

/// A handle to a shape given as varargs or as one list (`zeros(2, 3)`, `zeros([2, 3])`).
struct ShapeArg: Sendable {
    let index: Int
    /// Whether one size may be -1 (inferred, as in `reshape`).
    let infer: Bool
}

/// A builtin's parameters, declared in order; each declaration returns the handle its body reads.
struct Signature {
    private(set) var params: [Param] = []

    private mutating func add(_ p: Param) -> Int {
        params.append(p)
        return params.count - 1
    }

    /// A parameter read as `T`: positional unless `label`; its default is `def`, or `T`'s own (nil for an
    /// optional type, none otherwise: required).
    mutating func p<T: ArgumentType>(
        _ name: String, _ type: T.Type, _ def: DefaultValue? = nil, label: Bool = false, doc: String = ""
    ) -> Arg<T> {
        var value = def ?? T.implicitDefault
        // a Float parameter's default shows as a Float (`alpha: 1.0`), as it is read
        if case .int(let i) = value, T.valueType.isFloat { value = .float(Double(i)) }
        return Arg(
            index: add(
                Param(
                    name: name, type: T.valueType, defaultValue: value, labelOnly: label, variadic: false, doc: doc)))
    }

    /// A label-only parameter: `kernel:`.
    mutating func label<T: ArgumentType>(
        _ name: String, _ type: T.Type, _ def: DefaultValue? = nil, doc: String = ""
    ) -> Arg<T> {
        p(name, type, def, label: true, doc: doc)
    }

    /// The receiver of a method (`x` in `x.sum()`): the first parameter.
    mutating func receiver<T: ArgumentType>(_ type: T.Type, _ name: String = "self") -> Arg<T> {
        precondition(params.isEmpty, "the receiver is a builtin's first parameter")
        return p(name, type)
    }

    /// Every remaining positional argument, each read as `T`.
    mutating func rest<T: ArgumentType>(_ name: String, _ type: T.Type, doc: String = "") -> RestArg<T> {
        RestArg(
            index: add(
                Param(
                    name: name, type: T.valueType, defaultValue: .required, labelOnly: false, variadic: true,
                    doc: doc)))
    }

    /// A shape as varargs or one list.
    mutating func shape(_ name: String = "shape", infer: Bool = false, doc: String = "") -> ShapeArg {
        ShapeArg(
            index: add(
                Param(
                    name: name, type: .shape, defaultValue: .required, labelOnly: false, variadic: true, doc: doc)),
            infer: infer)
    }

    // MARK: Parameters many builtins share, declared once

    /// `dtype: "float32" | "float64" | "int64"`.
    mutating func dtype() -> Arg<DType?> {
        label("dtype", DType?.self, doc: "\"float32\" (default), \"float64\" or \"int64\"")
    }

    mutating func requiresGrad() -> Arg<Bool> { label("requires_grad", Bool.self, false) }

    mutating func keepdim() -> Arg<Bool> { label("keepdim", Bool.self, false) }

    mutating func stride(_ def: DefaultValue = 1, doc: String = "") -> Arg<IntPair> {
        label("stride", IntPair.self, def, doc: doc)
    }

    mutating func padding() -> Arg<IntPair> { label("padding", IntPair.self, 0) }
}
