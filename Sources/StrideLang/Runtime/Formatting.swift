import CNN
import Foundation

/// Formats a Double as Swift's `description` does (`3.0`, `0.1`, `1e-05`).
public func formatFloat(_ d: Double) -> String { d.description }

/// Text for values: `print`'s form (strings bare) and the result form (strings quoted). Containers that
/// contain themselves print `[...]`, as Python does, and nesting is bounded, so no value can make printing
/// recurse without end.
struct ValueFormatter {
    static let maxDepth = 500
    var seen: Set<ObjectIdentifier> = []
    var depth = 0
    /// Bytes of text made so far (checked against the memory budget once it is large).
    var written = 0

    mutating func printed(_ v: Value) throws -> String {
        switch v {
        case .string(let s): return s
        case .tensor(let t): return "tensor(" + TensorFormatter.body(t, indent: 7) + ")"
        case .list(let l):
            return try container(l, open: "[", close: "]") { f in
                var parts: [String] = []
                for x in l.items {
                    if case .tensor = x { parts.append(try f.printed(x)) } else { parts.append(try f.repr(x)) }
                }
                return parts
            }
        default: return try repr(v)
        }
    }

    mutating func repr(_ v: Value) throws -> String {
        switch v {
        case .int(let i): return String(i)
        case .float(let d): return formatFloat(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            return "\""
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .none: return "nil"
        case .list(let l): return try container(l, open: "[", close: "]") { f in try f.reprs(l.items) }
        case .tuple(let t): return try container(t, open: "(", close: ")") { f in try f.reprs(t.items) }
        case .dict(let d):
            if d.count == 0 { return "[:]" }
            return try container(d, open: "[", close: "]") { f in
                var parts: [String] = []
                for (k, x) in d.pairs { parts.append("\(k.repr): \(try f.repr(x))") }
                return parts
            }
        case .range(let a, let b): return "\(a)..<\(b)"
        case .tensor(let t): return TensorFormatter.describe(t)
        case .layer(let l): return l.treeDescription
        case .optimizer(let o): return o.description
        case .function(let f):
            switch f.proto.kind {
            case .closure: return "<closure \(f.proto.signature)>"
            case .op: return "<op \(f.signature)>"
            default: return "<func \(f.signature)>"
            }
        case .builtin(let b): return "<builtin \(b.name)>"
        case .method(let m): return "<method \(m.receiver.typeName).\(m.name)>"
        case .layerType(let t): return "<layer \(t.signature)>"
        case .generator(let g): return "<\(g.typeName)\(g.count.map { " of \($0)" } ?? "")>"
        case .rich(let r): return r.text
        }
    }

    mutating func reprs(_ items: [Value]) throws -> [String] {
        var parts: [String] = []
        parts.reserveCapacity(items.count)
        for x in items { parts.append(try repr(x)) }
        return parts
    }

    /// `open item, item close`, or `open...close` for a container already being printed.
    mutating func container(
        _ obj: AnyObject, open: String, close: String, _ items: (inout ValueFormatter) throws -> [String]
    ) throws -> String {
        let id = ObjectIdentifier(obj)
        if seen.contains(id) { return open + "..." + close }
        guard depth < Self.maxDepth else {
            throw CNNError.recursion("a value nested more than \(Self.maxDepth) levels deep cannot be printed")
        }
        seen.insert(id)
        depth += 1
        defer {
            seen.remove(id)
            depth -= 1
        }
        let parts = try items(&self)
        written += parts.count * 2
        for p in parts { written += p.utf8.count }
        if written > 1 << 20 { try MemoryBudget.current.check(written, "the printed text") }
        return open + parts.joined(separator: ", ") + close
    }
}

extension Value {
    /// How `print` shows the value (strings without quotes).
    public var printed: String {
        var f = ValueFormatter()
        return (try? f.printed(self)) ?? "<a value too deeply nested to print>"
    }

    /// How the value shows as a cell result or inside a list (strings quoted).
    public var repr: String {
        var f = ValueFormatter()
        return (try? f.repr(self)) ?? "<a value too deeply nested to print>"
    }

    /// One-line summary (tensors by shape), for %who, dictionaries and inspection.
    public var shortDescription: String {
        switch self {
        case .tensor(let t): return "Tensor \(shapeString(t.shape)) \(t.dtype)"
        case .layer(let l): return "\(l.typeName) (\(l.parameterCount) parameters)"
        case .list(let l): return l.items.count <= 8 ? repr : "List of \(l.items.count)"
        case .dict(let d): return d.count <= 4 ? repr : "Dictionary of \(d.count)"
        default:
            let r = repr
            return r.count > 80 ? String(r.prefix(77)) + "..." : r
        }
    }
}

/// `print`'s text for a value; a value nested too deeply to print is a RecursionError.
func printed(_ v: Value, _ s: Span) throws -> String {
    var f = ValueFormatter()
    return try rt(s) { try f.printed(v) }
}

func repr(_ v: Value, _ s: Span) throws -> String {
    var f = ValueFormatter()
    return try rt(s) { try f.repr(v) }
}
