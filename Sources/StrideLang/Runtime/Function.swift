import CNN

/// A variable captured by a closure: shared by reference between the frame that declared it and every
/// closure that uses it, so a closure sees later assignments (Swift's capture semantics).
final class Cell {
    /// Unchecked: accesses are plain reads and writes of the whole value (no user code runs during one);
    /// checked in an internal-checks build.
    #if STRIDE_INTERNAL_CHECKS
        var value: Value
    #else
        @exclusivity(unchecked) var value: Value
    #endif
    var mutable: Bool

    init(_ value: Value, mutable: Bool) {
        self.value = value
        self.mutable = mutable
    }

    deinit {
        var v = [value]
        value = .none
        releaseIteratively(&v)
    }
}

/// Where a new closure finds each variable it captures: a cell of the frame creating it, or a capture of
/// the function that frame is running.
enum CaptureSource {
    case frameCell(Int)
    case capture(Int)
}

/// Where a name lives, as the resolver decided.
enum Location {
    /// A plain local slot of the frame.
    case local(Int)
    /// A local that closures capture: a cell in the frame's cell slots.
    case cell(Int)
    /// A variable of an enclosing function, captured by this one.
    case capture(Int)
    /// A session global (or a builtin, until a global of that name exists).
    case global(GlobalCell)
}

/// One parameter of compiled code: where its value goes, and its default (compiled in the enclosing scope).
struct ParameterSlot {
    let name: String
    let location: Location
    let defaultValue: Node?
    let span: Span
}

/// Compiled code: a function, closure, op, layer body or cell, with its frame layout.
final class FunctionProto {
    let name: String
    let kind: FunctionKind
    var params: [ParameterSlot] = [] { didSet { arity = params.count } }
    /// `params.count`, read by the call fast path.
    private(set) var arity = 0
    var body = BlockNode(statements: [], span: .unknown) {
        didSet {
            bodyRef = Borrowed(body)
            let only = body.statements.count == 1 ? body.statements[0] as? ReturnValueNode : nil
            returnedRef = only.map { Borrowed($0.value) }
        }
    }
    /// `body`, unretained, for the call fast path.
    private(set) var bodyRef: Borrowed<BlockNode>
    /// The expression, unretained, when the body is one `return expression`: the fast path evaluates it
    /// directly.
    private(set) var returnedRef: Borrowed<Node>?
    var localCount = 0
    var cellCount = 0
    var captures: [CaptureSource] = []
    let doc: String?
    let span: Span
    /// The declaration, for signatures and `help`.
    let signature: String
    /// A plain function whose frame needs no cells and no defaults when all arguments are given: the call
    /// fast path runs it directly.
    var isSimple = false
    /// The names of the body's top-level bindings in order, with their locations (a layer's fields).
    var topLevel: [(name: String, location: Location, isFunction: Bool)] = []
    /// A layer body's methods as declared (`forward(x, scale: 1.0)`), with their doc lines, for `help`.
    var methodSignatures: [(name: String, signature: String, doc: String?)] = []

    init(name: String, kind: FunctionKind, doc: String?, span: Span, signature: String) {
        self.name = name
        self.kind = kind
        self.doc = doc
        self.span = span
        self.signature = signature
        bodyRef = Borrowed(body)
    }
}

/// A function value: compiled code and the cells it captured. Methods of user layers are functions whose
/// captures include the layer's fields.
public final class Function {
    let proto: FunctionProto
    let captures: [Cell]
    /// The user layer whose method (or whose method's closure) this is: what `self` means inside it.
    weak var owner: UserLayer?

    init(proto: FunctionProto, captures: [Cell], owner: UserLayer? = nil) {
        self.proto = proto
        self.captures = captures
        self.owner = owner
    }

    deinit {
        var cells: [AnyObject] = captures
        DeferredRelease.dispose(&cells)
    }

    public var name: String { proto.name }
    public var signature: String { proto.signature }
    public var doc: String? { proto.doc }
}

/// A member bound to its receiver: `x.sum`, `xs.append`, `block.forward`.
public final class BoundMethod {
    let receiver: Value
    let name: String
    /// The builtin table entry, or nil for a user layer's method (then `function` is set).
    let entry: Builtin?
    let function: Function?

    init(receiver: Value, name: String, entry: Builtin?, function: Function? = nil) {
        self.receiver = receiver
        self.name = name
        self.entry = entry
        self.function = function
    }
}

/// A session-global binding (one per name, reused when a later cell redeclares it, so compiled code that
/// refers to it sees the new value). Until a global of that name is bound it stands for the builtin.
final class GlobalCell {
    let name: String
    // unchecked: every access is a plain read or write of the whole value (no user code runs during one), and
    // the dynamic check cost a loop that updates a global a quarter of its time
    #if STRIDE_INTERNAL_CHECKS
        var value: Value? { didSet { refreshFunction() } }
    #else
        @exclusivity(unchecked) var value: Value? { didSet { refreshFunction() } }
    #endif
    var mutable = false { didSet { refreshFunction() } }
    /// The bound function, unretained, when the binding is a constant (`func`, `let`): no statement can
    /// rebind it while code that calls it runs (declarations run only at a cell's top level, one per
    /// execution), so a call reads it without reference counting.
    private(set) var constantFunction: Borrowed<Function>?
    /// The cell execution that bound it (redeclaring within one execution is an error).
    var execution = 0
    let builtin: Builtin?

    init(name: String, builtin: Builtin?) {
        self.name = name
        self.builtin = builtin
    }

    private func refreshFunction() {
        if !mutable, case .function(let fn)? = value {
            constantFunction = Borrowed(fn)
        } else {
            constantFunction = nil
        }
    }
}

/// The session's global names, in the order they were first bound.
final class GlobalTable {
    private var cells: [String: GlobalCell] = [:]
    private(set) var order: [String] = []

    /// The cell for `name`, created (unbound) on first reference.
    func cell(_ name: String) -> GlobalCell {
        if let c = cells[name] { return c }
        let c = GlobalCell(name: name, builtin: Builtins.table[name])
        cells[name] = c
        return c
    }

    /// Binds `name` (declaration), checking that one execution does not declare it twice.
    func declare(_ name: String, _ value: Value, mutable: Bool, execution: Int, span: Span) throws {
        let c = cell(name)
        if c.value != nil, c.execution == execution {
            throw StrideError(.name, "invalid redeclaration of '\(name)' in the same cell", span: span)
        }
        if c.value == nil { order.append(name) }
        c.value = value
        c.mutable = mutable
        c.execution = execution
    }

    /// The bound value of `name`, if any.
    func lookup(_ name: String) -> Value? { cells[name]?.value }

    /// Bound names with their values, in binding order.
    var bound: [(String, Value)] { order.compactMap { n in cells[n]?.value.map { (n, $0) } } }

    /// Unbinds every name (`%reset`); compiled code keeps its cells, now unbound.
    func removeAll() {
        for c in cells.values { c.value = nil }
        order = []
    }
}
