import CNN

/// A type in the builtin table: what a parameter accepts and what a builtin returns. Signatures, `help`,
/// completion after `f(…).` and `docs/builtins.md` read it.
public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case any, int, float, number, bool, string, tensor, layer, optimizer, list, tuple, dict, function, none
    case range, generator, summary, dtype
    /// An Int or an (h, w) pair.
    case pair
    /// A shape: sizes as varargs or one list.
    case shape
    /// A tensor, a number or a nested list of numbers.
    case tensorLike
    case optional(ValueType)
    case listOf(ValueType)

    public var description: String {
        switch self {
        case .any: "Any"
        case .int: "Int"
        case .float: "Float"
        case .number: "Number"
        case .bool: "Bool"
        case .string: "String"
        case .tensor: "Tensor"
        case .layer: "Layer"
        case .optimizer: "Optimizer"
        case .list: "List"
        case .tuple: "Tuple"
        case .dict: "Dictionary"
        case .function: "Function"
        case .none: "Nil"
        case .range: "Range"
        case .generator: "Generator"
        case .summary: "Summary"
        case .dtype: "DType"
        case .pair: "Int or (Int, Int)"
        case .shape: "Shape"
        case .tensorLike: "Tensor or number"
        case .optional(let t): "\(t)?"
        case .listOf(let t): "[\(t)]"
        }
    }

    /// The receiver kind values of this type belong to, for completion of members.
    var receiver: Receiver? {
        switch self {
        case .tensor, .tensorLike: .tensor
        case .layer: .layer
        case .optimizer: .optimizer
        case .list, .listOf: .list
        case .tuple: .tuple
        case .dict: .dict
        case .string: .string
        case .range: .range
        case .generator: .generator
        case .optional(let t): t.receiver
        default: nil
        }
    }
}

/// A parameter's default, as data (so the signature shown and the value used cannot disagree).
public enum DefaultValue: Sendable, Equatable {
    case required
    case none
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)

    var value: Value {
        switch self {
        case .required, .none: .none
        case .int(let i): .int(i)
        case .float(let d): .float(d)
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        }
    }

    var text: String {
        switch self {
        case .required: ""
        case .none: "nil"
        case .int(let i): String(i)
        case .float(let d): formatFloat(d)
        case .bool(let b): b ? "true" : "false"
        case .string(let s): Value.string(s).repr
        }
    }
}

/// One declared parameter of a builtin.
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

/// Declares a parameter: `p("x", .tensor)`, `p("stride", .pair, .int(1))`, `p("kernel", .pair, label: true)`.
func p(
    _ name: String, _ type: ValueType, _ def: DefaultValue = .required, label: Bool = false, doc: String = ""
) -> Param {
    Param(name: name, type: type, defaultValue: def, labelOnly: label, variadic: false, doc: doc)
}

/// Declares a variadic parameter.
func rest(_ name: String, _ type: ValueType, doc: String = "") -> Param {
    Param(name: name, type: type, defaultValue: .required, labelOnly: false, variadic: true, doc: doc)
}

/// What a method or property is a member of.
public enum Receiver: String, Sendable, CaseIterable {
    case tensor, layer, list, tuple, dict, string, range, optimizer, generator, function
}

/// One builtin: a function, a method or property of a receiver type, or both (`sum(x)` and `x.sum()` are one
/// entry). Its parameters are data: binding, signatures, labels in completion, `help`, inspection, static
/// return types and `docs/builtins.md` all come from this declaration.
public final class Builtin: Sendable {
    public let name: String
    public let category: String
    public let params: [Param]
    /// `params.count`, read by the call fast path.
    let arity: Int
    public let returns: ValueType
    public let summary: String
    public let example: String
    /// The receiver type for `x.name(…)` (the receiver binds to the first parameter); nil for a plain function.
    public let receiver: Receiver?
    /// Whether `name(…)` works as a plain call (false for methods such as `xs.append`).
    public let isFunction: Bool
    /// A property (`x.shape`): read without a call.
    public let isProperty: Bool
    /// Static members read on the builtin itself (`Int.max`).
    public let statics: [(String, @Sendable () -> Value)]
    let run: @Sendable (inout Args) throws -> Value
    /// An implementation for calls that give every parameter positionally (hot methods such as
    /// `xs.append`): it skips argument binding. It must behave exactly as `run` does.
    let fast: (@Sendable (UnsafeBufferPointer<Value>, Interpreter, Span) throws -> Value)?
    /// For each parameter, the index of the positional argument that fills it (nil: label only).
    let positionalIndex: [Int?]
    /// The variadic parameter, if any, and how many positional parameters come before it.
    let variadicIndex: Int?
    let fixedPositional: Int

    init(
        name: String, category: String, params: [Param], returns: ValueType, summary: String, example: String,
        receiver: Receiver?, isFunction: Bool, isProperty: Bool, statics: [(String, @Sendable () -> Value)],
        fast: (@Sendable (UnsafeBufferPointer<Value>, Interpreter, Span) throws -> Value)? = nil,
        run: @escaping @Sendable (inout Args) throws -> Value
    ) {
        self.fast = fast
        self.name = name
        self.category = category
        self.params = params
        self.arity = params.count
        self.returns = returns
        self.summary = summary
        self.example = example
        self.receiver = receiver
        self.isFunction = isFunction
        self.isProperty = isProperty
        self.statics = statics
        self.run = run
        var index: [Int?] = []
        var next = 0
        var variadic: Int? = nil
        for (k, p) in params.enumerated() {
            if p.labelOnly {
                index.append(nil)
            } else if p.variadic {
                variadic = k
                index.append(next)
            } else if variadic != nil {
                index.append(nil)  // after the variadic one: by label only
            } else {
                index.append(next)
                next += 1
            }
        }
        positionalIndex = index
        variadicIndex = variadic
        fixedPositional = next
    }

    /// The signature as `help` shows it: `conv2d(x, w, b, stride: 1, padding: 0, …)`.
    public var signature: String {
        let shown = receiver != nil && !isFunction ? Array(params.dropFirst()) : params
        let items = shown.map { p -> String in
            if p.variadic { return "\(p.name)…" }
            if p.labelOnly && p.defaultValue == .required { return "\(p.name):" }
            if p.defaultValue == .required || (p.defaultValue == .none && !p.labelOnly) { return p.name }
            return "\(p.name): \(p.defaultValue.text)"
        }
        let head = receiver != nil && !isFunction ? "\(receiverTypeName).\(name)" : name
        if isProperty && !isFunction { return "\(receiverTypeName).\(name)" }
        return "\(head)(" + items.joined(separator: ", ") + ")"
    }

    var receiverTypeName: String {
        switch receiver {
        case .tensor: "Tensor"
        case .layer: "Layer"
        case .list: "List"
        case .tuple: "Tuple"
        case .dict: "Dictionary"
        case .string: "String"
        case .range: "Range"
        case .optimizer: "Optimizer"
        case .generator: "Generator"
        case .function: "Function"
        case nil: ""
        }
    }

    /// Labels a call may use (for completion inside `f(…`).
    public var labels: [String] {
        let shown = receiver != nil && !isFunction ? Array(params.dropFirst()) : params
        return shown.filter { p in
            !p.variadic && (p.labelOnly || (p.defaultValue != .required && p.defaultValue != .none))
        }.map(\.name)
    }

    /// The help text: signature → return type, summary, parameters, example.
    public var helpText: String {
        var s = "\(signature)" + (returns == .none ? "" : " -> \(returns)") + "\n\n\(summary)"
        let documented = params.filter { !$0.doc.isEmpty }
        if !documented.isEmpty {
            s += "\n\n" + documented.map { "  \($0.name): \($0.doc)" }.joined(separator: "\n")
        }
        return s + "\n\nExample:\n    \(example)"
    }
}

/// Declares a builtin.
func B(
    _ category: String, _ name: String, _ params: [Param], _ returns: ValueType, _ summary: String, _ example: String,
    receiver: Receiver? = nil, function: Bool = true, property: Bool = false,
    statics: [(String, @Sendable () -> Value)] = [],
    fast: (@Sendable (UnsafeBufferPointer<Value>, Interpreter, Span) throws -> Value)? = nil,
    _ run: @escaping @Sendable (inout Args) throws -> Value
) -> Builtin {
    Builtin(
        name: name, category: category, params: params, returns: returns, summary: summary, example: example,
        receiver: receiver, isFunction: function, isProperty: property, statics: statics, fast: fast, run: run)
}

/// The builtin table: every function, layer, method and property of the language, in one list.
public enum Builtins {
    public static let all: [Builtin] =
        general + numbers + collections + creation + tensorFunctions + tensorMembers + autograd + nnFunctions
        + layers + zoo + training + data + images + io + display + layerMembers + optimizerMembers + listMembers
        + dictMembers
        + stringMembers + otherMembers

    /// Plain functions by name.
    public static let table: [String: Builtin] = Dictionary(
        all.filter(\.isFunction).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Members (methods and properties) per receiver type.
    static let members: [Receiver: [String: Builtin]] = {
        var out: [Receiver: [String: Builtin]] = [:]
        for b in all {
            guard let r = b.receiver else { continue }
            out[r, default: [:]][b.name] = b
        }
        return out
    }()

    /// The member `name` of receiver type `r`.
    static func member(_ r: Receiver, _ name: String) -> Builtin? { members[r]?[name] }
}
