import CNN

/// A type in the builtin table: what a parameter accepts and what a builtin returns. Signatures, `help`,
/// completion after `f(…).` and `docs/builtins.md` read it.
public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case any, int, float, number, bool, string, tensor, layer, optimizer, list, tuple, dict, function, none
    case range, generator, summary, confusionMatrix, dtype
    /// An Int or an (h, w) pair.
    case pair
    /// A shape: sizes as varargs or one list.
    case shape
    /// A tensor, a number or a nested list of numbers.
    case tensorLike
    /// One of a fixed set of strings.
    case choice([String])
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
        case .confusionMatrix: "ConfusionMatrix"
        case .dtype: "DType"
        case .pair: "Int or (Int, Int)"
        case .shape: "Shape"
        case .tensorLike: "Tensor or number"
        case .choice(let options): options.map { "\"\($0)\"" }.joined(separator: " | ")
        case .optional(let t): "\(t)?"
        case .listOf(let t): "[\(t)]"
        }
    }

    /// Float or Float?.
    var isFloat: Bool {
        switch self {
        case .float: true
        case .optional(let t): t.isFloat
        default: false
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
        case .string, .choice: .string
        case .range: .range
        case .generator: .generator
        case .function: .function
        case .optional(let t): t.receiver
        default: nil
        }
    }
}

/// What a builtin is about: the sections of `help()` and `docs/builtins.md`, in order.
public enum Category: String, Sendable, CaseIterable {
    case general, numbers, collections, list, tuple, dict, string, range, generator, tensor, autograd, nn, layer, zoo
    case training, optimizer, data, io, display, function

    /// The section title.
    var title: String {
        switch self {
        case .general: "General"
        case .numbers: "Numbers"
        case .collections: "Collections"
        case .list: "Lists"
        case .tuple: "Tuples"
        case .dict: "Dictionaries"
        case .string: "Strings"
        case .range: "Ranges"
        case .generator: "Generators"
        case .tensor: "Tensors"
        case .autograd: "Autograd"
        case .nn: "Neural-network functions"
        case .layer: "Layers"
        case .zoo: "Model zoo"
        case .training: "Training"
        case .optimizer: "Optimisers"
        case .data: "Data"
        case .io: "Files"
        case .display: "Looking at things"
        case .function: "Functions"
        }
    }

    /// Whether calling a builtin of this category builds an object (completion calls them classes).
    var constructs: Bool { self == .layer || self == .zoo }
}

/// What a method or property is a member of: the one mapping from values to the members they offer.
public enum Receiver: Int, Sendable, CaseIterable {
    case tensor, layer, list, tuple, dict, string, range, optimizer, generator, function

    /// The receiver kind of a value, or nil for values without table members (numbers, nil).
    @inline(__always) static func of(_ v: Value) -> Receiver? {
        switch v {
        case .tensor: .tensor
        case .layer: .layer
        case .list: .list
        case .tuple: .tuple
        case .dict: .dict
        case .string: .string
        case .range: .range
        case .optimizer: .optimizer
        case .generator: .generator
        case .function, .builtin, .method, .layerType: .function
        default: nil
        }
    }

    /// The type name `help` prints before a member: `Tensor.sum`.
    var typeName: String {
        switch self {
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
        }
    }

    var category: Category {
        switch self {
        case .tensor: .tensor
        case .layer: .layer
        case .list: .list
        case .tuple: .tuple
        case .dict: .dict
        case .string: .string
        case .range: .range
        case .optimizer: .optimizer
        case .generator: .generator
        case .function: .function
        }
    }
}

/// A builtin's implementation: reads its arguments through the handles its declaration made.
typealias BuiltinBody = @Sendable (inout Args) throws -> Value

/// Assigns a settable property (`x.requires_grad = true`): receiver, new value, context, span of the assignment.
typealias PropertySetter = @Sendable (Value, Value, CallContext, Span) throws -> Void

/// One builtin: a function, a method or property of a receiver type, or both (`sum(x)` and `x.sum()` are one
/// entry). Its parameters are data: binding, signatures, labels in completion, `help`, inspection, static
/// return types and `docs/builtins.md` all come from this declaration.
public final class Builtin: Sendable {
    public let name: String
    public let category: Category
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
    /// Assigns the property, for settable ones (`x.requires_grad = true`).
    let setter: PropertySetter?
    /// Static members read on the builtin itself (`Int.max`).
    public let statics: [(String, @Sendable () -> Value)]
    /// The PyTorch function or module this builtin means (`torch.flatten`, `torch.nn.Conv2d`): the same name means
    /// the same thing, and the differential test against PyTorch has a case for every builtin that names one.
    public let torch: String?
    let run: BuiltinBody
    /// For each parameter, the index of the positional argument that fills it (nil: label only).
    let positionalIndex: [Int?]
    /// The variadic parameter, if any, and how many positional parameters come before it.
    let variadicIndex: Int?
    let fixedPositional: Int
    /// Every parameter is positional and none is variadic: a call giving `arity` values binds them in order.
    let takesAllPositionally: Bool

    init(
        name: String, category: Category, params: [Param], returns: ValueType, summary: String, example: String,
        receiver: Receiver?, isFunction: Bool, isProperty: Bool, setter: PropertySetter?,
        statics: [(String, @Sendable () -> Value)], torch: String?, run: @escaping BuiltinBody
    ) {
        self.torch = torch
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
        self.setter = setter
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
        takesAllPositionally = variadic == nil && next == params.count
    }

    /// The parameters a caller writes (a method's receiver is written before the dot).
    var shownParams: ArraySlice<Param> { receiver != nil && !isFunction ? params.dropFirst() : params[...] }

    /// The signature as `help` shows it: `conv2d(x, w, b, stride: 1, padding: 0, …)`.
    public var signature: String {
        let items = shownParams.map { p -> String in
            if p.variadic { return "\(p.name)…" }
            if p.labelOnly && p.defaultValue == .required { return "\(p.name):" }
            if p.defaultValue == .required || (p.defaultValue == .nilValue && !p.labelOnly) { return p.name }
            return "\(p.name): \(p.defaultValue.text)"
        }
        let head = receiver != nil && !isFunction ? "\(receiverTypeName).\(name)" : name
        if isProperty && !isFunction { return "\(receiverTypeName).\(name)" }
        return "\(head)(" + items.joined(separator: ", ") + ")"
    }

    var receiverTypeName: String { receiver?.typeName ?? "" }

    /// Labels a call may use (for completion inside `f(…`).
    public var labels: [String] {
        shownParams.filter { p in
            !p.variadic && (p.labelOnly || (p.defaultValue != .required && p.defaultValue != .nilValue))
        }.map(\.name)
    }

    /// The help text: signature → return type, summary, parameters, example.
    public var helpText: String {
        var s = "\(signature)" + (returns == .none ? "" : " -> \(returns)") + (setter != nil ? " (settable)" : "")
        s += "\n\n\(summary)"
        let documented = params.filter { !$0.doc.isEmpty || isChoice($0.type) }
        if !documented.isEmpty {
            s +=
                "\n\n"
                + documented.map { p in
                    let choices = isChoice(p.type) ? "\(p.type)" : ""
                    return "  \(p.name): " + [choices, p.doc].filter { !$0.isEmpty }.joined(separator: "; ")
                }.joined(separator: "\n")
        }
        return s + "\n\nExample:\n    \(example)"
    }

    private func isChoice(_ t: ValueType) -> Bool {
        switch t {
        case .choice: true
        case .optional(let w): isChoice(w)
        default: false
        }
    }
}

/// Declares a builtin: `declare` adds its parameters to a `Signature` and returns the body, which reads them
/// through the handles it was given.
func B(
    _ category: Category, _ name: String, torch: String? = nil, _ returns: ValueType, _ summary: String,
    _ example: String, receiver: Receiver? = nil, function: Bool = true, property: Bool = false,
    setter: PropertySetter? = nil, statics: [(String, @Sendable () -> Value)] = [],
    _ declare: (inout Signature) -> BuiltinBody
) -> Builtin {
    var signature = Signature()
    let run = declare(&signature)
    return Builtin(
        name: name, category: category, params: signature.params, returns: returns, summary: summary,
        example: example, receiver: receiver, isFunction: function, isProperty: property, setter: setter,
        statics: statics, torch: torch, run: run)
}

/// Declares a member of receiver type `r` (`xs.append(v)`, `x.shape`), not a plain function: `declare` gets the
/// receiver's handle, declared as the first parameter with `R`'s type.
func member<R: ArgumentType>(
    _ r: Receiver, _ type: R.Type, _ name: String, _ returns: ValueType, _ summary: String, _ example: String,
    property: Bool = false, setter: PropertySetter? = nil,
    _ declare: (inout Signature, Arg<R>) -> BuiltinBody
) -> Builtin {
    B(
        r.category, name, returns, summary, example, receiver: r, function: false, property: property,
        setter: setter
    ) { d in
        let recv = d.receiver(R.self)
        return declare(&d, recv)
    }
}

/// The builtin table: every function, layer, method and property of the language, in one list.
public enum Builtins {
    public static let all: [Builtin] =
        general + numbers + collections + creation + tensorFunctions + tensorMembers + autograd + nnFunctions
        + layers + zoo + training + data + images + io + display + inspection + layerMembers + optimizerMembers
        + listMembers
        + dictMembers + stringMembers + otherMembers

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
    static func entry(_ r: Receiver, _ name: String) -> Builtin? { members[r]?[name] }

    /// The table's member names for a receiver type, sorted.
    static func memberNames(_ r: Receiver) -> [String] { (members[r] ?? [:]).keys.sorted() }
}
