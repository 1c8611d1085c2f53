public import CNN

/// A value of the language (docs/language.md §5, §12–§15). Tensors, layers and optimisers are the runtime's
/// own objects; lists, dictionaries and closures' captured variables are shared references.
public enum Value {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case none
    case list(ListRef)
    case tuple(TupleRef)
    case dict(DictRef)
    case range(Int, Int)  // half-open lo..<hi
    case tensor(Tensor)
    case layer(any Layer)
    case optimizer(any Optimizer)
    /// A user `func`, closure or `op`.
    case function(Function)
    case builtin(Builtin)
    /// A member bound to its receiver: `x.sum`, `xs.append`, `b.forward`.
    case method(BoundMethod)
    /// A user `layer` declaration: calling it builds a layer.
    case layerType(LayerType)
    /// A lazy sequence (batches, progress).
    case generator(Generator)
    /// A value with its own display (a summary).
    case rich(RichValue)

    /// The type name `type(v)` reports.
    public var typeName: String {
        switch self {
        case .int: "Int"
        case .float: "Float"
        case .bool: "Bool"
        case .string: "String"
        case .none: "Nil"
        case .list: "List"
        case .tuple: "Tuple"
        case .dict: "Dictionary"
        case .range: "Range"
        case .tensor: "Tensor"
        case .layer(let l): l.typeName
        case .optimizer(let o): o.typeName
        case .function(let f): f.proto.kind == .op ? "Op" : "Function"
        case .builtin: "Builtin"
        case .method: "Method"
        case .layerType: "LayerType"
        case .generator(let g): g.typeName
        case .rich(let r): r.typeName
        }
    }

    var isNil: Bool {
        if case .none = self { return true }
        return false
    }

    var tensorValue: Tensor? {
        if case .tensor(let t) = self { return t }
        return nil
    }

    /// The heap object behind the value, for iterative release of deep structures.
    var heapObject: AnyObject? {
        switch self {
        case .list(let l): l
        case .tuple(let t): t
        case .dict(let d): d
        case .tensor(let t): t
        case .layer(let l): l
        case .optimizer(let o): o
        case .function(let f): f
        case .method(let m): m
        case .generator(let g): g
        default: nil
        }
    }
}

/// Hands the heap objects of `values` to `DeferredRelease` (a container's deinit), so a list nested
/// 100,000 deep is freed without recursion.
func releaseIteratively(_ values: inout [Value]) {
    guard !values.isEmpty else { return }
    var objects: [AnyObject] = []
    for v in values { if let o = v.heapObject { objects.append(o) } }
    values = []
    DeferredRelease.dispose(&objects)
}

/// A mutable list shared by reference.
public final class ListRef {
    /// Unchecked: every mutation is one array operation that runs no user code while the access is open;
    /// checked in an internal-checks build.
    #if STRIDE_INTERNAL_CHECKS
        public var items: [Value]
    #else
        @exclusivity(unchecked) public var items: [Value]
    #endif
    public init(_ items: [Value]) { self.items = items }
    deinit { releaseIteratively(&items) }
}

/// An immutable tuple.
public final class TupleRef {
    public private(set) var items: [Value]
    public init(_ items: [Value]) { self.items = items }
    deinit { releaseIteratively(&items) }
}

/// A dictionary key: a string or an integer.
public enum DictKey: Hashable, Sendable {
    case string(String)
    case int(Int)

    var value: Value {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        }
    }

    var repr: String {
        switch self {
        case .string(let s): Value.string(s).repr
        case .int(let i): String(i)
        }
    }
}

/// An ordered dictionary shared by reference (keys in insertion order, as Python's).
public final class DictRef {
    public private(set) var keys: [DictKey] = []
    private(set) var values: [Value] = []
    private var index: [DictKey: Int] = [:]

    public init(_ pairs: [(DictKey, Value)] = []) {
        for (k, v) in pairs { self[k] = v }
    }

    deinit { releaseIteratively(&values) }

    public var count: Int { keys.count }

    public subscript(_ k: DictKey) -> Value? {
        get { index[k].map { values[$0] } }
        set {
            if let i = index[k] {
                if let v = newValue {
                    values[i] = v
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                    index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                }
            } else if let v = newValue {
                index[k] = keys.count
                keys.append(k)
                values.append(v)
            }
        }
    }

    var pairs: [(DictKey, Value)] { Array(zip(keys, values)) }
}

/// A lazy sequence: each iteration asks `makeIterator` for a fresh `next`.
public final class Generator {
    public let typeName: String
    public let count: Int?
    let makeIterator: () throws -> () throws -> Value?

    init(typeName: String, count: Int?, _ make: @escaping () throws -> () throws -> Value?) {
        self.typeName = typeName
        self.count = count
        self.makeIterator = make
    }
}

/// A value that carries its own display (a summary table).
public final class RichValue {
    public let typeName: String
    public let text: String
    public let bundle: [String: String]

    init(typeName: String, text: String, bundle: [String: String]) {
        self.typeName = typeName
        self.text = text
        self.bundle = bundle
    }
}
