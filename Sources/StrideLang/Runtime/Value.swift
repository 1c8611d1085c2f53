public import CNN
import Foundation

/// A value of the language (§5). Tensors, layers and optimisers are the runtime's own
/// objects; lists are shared references (appending through any name is seen by all).
public enum Value {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case none
    case list(ListRef)
    case tuple([Value])
    case range(Int, Int)                 // half-open lo..<hi
    case tensor(Tensor)
    case layer(any Layer)
    case optimizer(any Optimizer)
    case function(UserFunction)
    case builtin(Builtin)
    indirect case method(Value, String)  // a bound method: receiver and name
    case record(RecordRef)               // named values (an .npz archive)
    case generator(Generator)            // a lazy sequence (batches, progress)
    case rich(RichValue)                 // a value with its own display (summary)

    /// The type name `type(v)` reports.
    public var typeName: String {
        switch self {
        case .int: "Int"; case .float: "Float"; case .bool: "Bool"; case .string: "String"; case .none: "Nil"
        case .list: "List"; case .tuple: "Tuple"; case .range: "Range"; case .tensor: "Tensor"
        case .layer(let l): l.typeName
        case .optimizer(let o): o is SGD ? "SGD" : (o is Adam ? "Adam" : "Optimizer")
        case .function: "Function"; case .builtin: "Builtin"; case .method: "Method"; case .record: "Record"
        case .generator(let g): g.typeName
        case .rich(let r): r.typeName
        }
    }

    var isNil: Bool { if case .none = self { return true }; return false }
    var isTensor: Bool { if case .tensor = self { return true }; return false }
}

/// A mutable list shared by reference.
public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// Ordered named values.
public final class RecordRef {
    public var items: [(String, Value)]
    public init(_ items: [(String, Value)]) { self.items = items }
    subscript(_ k: String) -> Value? { items.first { $0.0 == k }?.1 }
}

/// A lazy sequence: `next()` returns nil at the end.
public final class Generator {
    public let typeName: String
    public let count: Int?
    let makeIterator: () throws -> () throws -> Value?
    init(typeName: String, count: Int?, _ make: @escaping () throws -> () throws -> Value?) {
        self.typeName = typeName; self.count = count; self.makeIterator = make
    }
}

/// A value that carries its own display (a summary table).
public final class RichValue {
    public let typeName: String
    public let text: String
    public let bundle: [String: String]
    init(typeName: String, text: String, bundle: [String: String]) { self.typeName = typeName; self.text = text; self.bundle = bundle }
}

/// A user-defined function with the scope it was declared in.
public final class UserFunction {
    public let decl: FunctionDecl
    let closure: Scope
    init(decl: FunctionDecl, closure: Scope) { self.decl = decl; self.closure = closure }
    public var signature: String {
        "\(decl.name)(" + decl.params.map { p in p.defaultValue == nil ? p.name : "\(p.name): …" }.joined(separator: ", ") + ")"
    }
}

// MARK: Formatting as Swift prints

/// Formats a Double as Swift's `description` does (`3.0`, `0.1`, `1e-05`).
public func formatFloat(_ d: Double) -> String { d.description }

extension Value {
    /// How `print` shows the value (strings without quotes).
    public var printed: String {
        if case .string(let s) = self { return s }
        if case .tensor(let t) = self { return "tensor(" + TensorFormatter.body(t, indent: 7) + ")" }
        if case .list(let l) = self { return "[" + l.items.map { $0.printed == $0.repr ? $0.repr : ($0.isTensor ? $0.printed : $0.repr) }.joined(separator: ", ") + "]" }
        return repr
    }

    /// How the value shows as a cell result or inside a list (strings quoted).
    public var repr: String {
        switch self {
        case .int(let i): return String(i)
        case .float(let d): return formatFloat(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .none: return "nil"
        case .list(let l): return "[" + l.items.map { $0.repr }.joined(separator: ", ") + "]"
        case .tuple(let t): return "(" + t.map { $0.repr }.joined(separator: ", ") + ")"
        case .range(let a, let b): return "\(a)..<\(b)"
        case .tensor(let t): return TensorFormatter.describe(t)
        case .layer(let l): return l.treeDescription
        case .optimizer(let o):
            if let s = o as? SGD { return "SGD(lr: \(formatFloat(s.lr)), momentum: \(formatFloat(s.momentum)), weight_decay: \(formatFloat(s.weightDecay))\(s.nesterov ? ", nesterov: true" : ""), \(s.params.count) parameters)" }
            return "\(typeName)(lr: \(formatFloat(o.lr)), \(o.params.count) parameters)"
        case .function(let f): return "<func \(f.signature)>"
        case .builtin(let b): return "<builtin \(b.name)>"
        case .method(let r, let n): return "<method \(r.typeName).\(n)>"
        case .record(let r): return "[" + r.items.map { "\"\($0.0)\": \($0.1.shortDescription)" }.joined(separator: ", ") + "]"
        case .generator(let g): return "<\(g.typeName)\(g.count.map { " of \($0)" } ?? "")>"
        case .rich(let r): return r.text
        }
    }

    /// One-line summary (tensors by shape), for %who, records and inspection.
    public var shortDescription: String {
        switch self {
        case .tensor(let t): return "Tensor \(shapeString(t.shape)) \(t.dtype)"
        case .layer(let l): return "\(l.typeName) (\(l.parameterCount) parameters)"
        case .list(let l): return l.items.count <= 8 ? repr : "List of \(l.items.count)"
        default:
            let r = repr
            return r.count > 80 ? String(r.prefix(77)) + "..." : r
        }
    }
}
