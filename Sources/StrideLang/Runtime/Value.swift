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

/// What a list or dictionary has charged to the session's memory budget, as tensors charge theirs: room for
/// a number of elements, grown in doubling steps (so a growing list asks the budget once per doubling), returned
/// when the container is freed. A container that would not fit is a MemoryError before it grows.
struct BudgetCharge {
    let budget = MemoryBudget.current
    /// Elements paid for.
    private(set) var capacity = 0
    let elementBytes: Int

    init(elementBytes: Int, holding count: Int) {
        self.elementBytes = elementBytes
        capacity = count
        budget.charge(count &* elementBytes)
    }

    /// Makes room for `count` elements, or throws MemoryError naming `what`.
    @inline(__always) mutating func ensure(_ count: Int, _ what: @autoclosure () -> String) throws {
        if count > capacity { try grow(count, what()) }
    }

    @inline(never) private mutating func grow(_ count: Int, _ what: String) throws {
        let wanted = Swift.max(count, Swift.min(capacity &* 2, Int.max / 2), 16)
        let (bytes, overflow) = (wanted - capacity).multipliedReportingOverflow(by: elementBytes)
        try budget.reserve(overflow ? -1 : bytes, for: "\(what) of \(wanted) elements")
        capacity = wanted
    }

    func release() { budget.release(capacity &* elementBytes) }
}

/// A mutable list shared by reference. Its elements count against the session's memory budget.
public final class ListRef {
    /// Unchecked: every mutation is one array operation that runs no user code while the access is open;
    /// checked in an internal-checks build.
    #if STRIDE_INTERNAL_CHECKS
        public private(set) var items: [Value]
    #else
        @exclusivity(unchecked) public private(set) var items: [Value]
    #endif
    private var charge: BudgetCharge

    /// Bytes a list charges per element: the element's slot.
    static let elementBytes = MemoryLayout<Value>.stride

    public init(_ items: [Value]) {
        charge = BudgetCharge(elementBytes: Self.elementBytes, holding: items.count)
        self.items = items
    }

    deinit {
        charge.release()
        releaseIteratively(&items)
    }

    public var count: Int { items.count }

    /// Appends `v`, or throws MemoryError when the list would outgrow the session's memory budget.
    @inline(__always) public func append(_ v: Value) throws {
        try charge.ensure(items.count + 1, "a list")
        items.append(v)
    }

    public func insert(_ v: Value, at i: Int) throws {
        try charge.ensure(items.count + 1, "a list")
        items.insert(v, at: i)
    }

    public func append(contentsOf vs: [Value]) throws {
        try charge.ensure(items.count + vs.count, "a list")
        items.append(contentsOf: vs)
    }

    public func remove(at i: Int) -> Value { items.remove(at: i) }
    public func popLast() -> Value? { items.popLast() }

    /// Replaces element `i` (in range).
    public func set(_ i: Int, _ v: Value) { items[i] = v }
}

/// An immutable tuple.
public final class TupleRef {
    public private(set) var items: [Value]
    /// Named values a tuple carries besides its items (a data set's `(images, labels)` carries `classes`),
    /// read as `t.classes`; destructuring sees only the items.
    public let attributes: [(name: String, value: Value)]
    public init(_ items: [Value], attributes: [(name: String, value: Value)] = []) {
        self.items = items
        self.attributes = attributes
    }
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

/// An ordered dictionary shared by reference (keys in insertion order, as Python's). Its entries count
/// against the session's memory budget.
public final class DictRef {
    public private(set) var keys: [DictKey] = []
    private(set) var values: [Value] = []
    private var index: [DictKey: Int] = [:]
    private var charge = BudgetCharge(elementBytes: DictRef.entryBytes, holding: 0)

    /// Bytes a dictionary charges per entry: its key, its value and its slot in the index.
    static let entryBytes = 2 * MemoryLayout<DictKey>.stride + MemoryLayout<Value>.stride + 2 * MemoryLayout<Int>.stride

    public init(_ pairs: [(DictKey, Value)] = []) {
        for (k, v) in pairs { self[k] = v }
    }

    deinit {
        charge.release()
        releaseIteratively(&values)
    }

    /// Sets `k` to `v`, or throws MemoryError when a new entry would outgrow the session's memory budget.
    public func set(_ k: DictKey, _ v: Value) throws {
        if index[k] == nil { try charge.ensure(keys.count + 1, "a dictionary") }
        self[k] = v
    }

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

/// A value that carries its own display (a summary table, a confusion matrix) and read-only fields
/// (`cm.matrix`).
public final class RichValue {
    public let typeName: String
    public let text: String
    public let bundle: [String: String]
    public let fields: [(name: String, value: Value)]

    init(typeName: String, text: String, bundle: [String: String], fields: [(name: String, value: Value)] = []) {
        self.typeName = typeName
        self.text = text
        self.bundle = bundle
        self.fields = fields
    }
}
