import CNN
import Foundation

extension BinaryOperator {
    /// Int ∘ Int for the arithmetic operators, or nil to take the slow path (overflow, division by zero).
    @inline(__always) func ints(_ x: Int, _ y: Int) -> Int? {
        switch self {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            return o ? nil : r
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? nil : r
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? nil : r
        case .div: return y == 0 || (x == Int.min && y == -1) ? nil : x / y
        case .mod: return y == 0 || (x == Int.min && y == -1) ? nil : x % y
        default: return nil
        }
    }

    /// Float ∘ Float for the arithmetic operators.
    @inline(__always) func floats(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: x + y
        case .sub: x - y
        case .mul: x * y
        case .div: x / y
        default: x.truncatingRemainder(dividingBy: y)
        }
    }
}

/// `a + b`, `a - b`, `a * b`, `a / b`, `a % b`: Int and Float operands inline, everything else (tensors,
/// strings, lists, overflow) through `Interpreter.binary`.
final class ArithmeticNode: BinaryNode {
    override func eval(_ f: inout Frame) throws -> Value {
        let a = try lhs.eval(&f)
        let b = try rhs.eval(&f)
        if case .int(let x) = a {
            if case .int(let y) = b, let r = op.ints(x, y) { return .int(r) }
            if case .float(let y) = b { return .float(op.floats(Double(x), y)) }
        } else if case .float(let x) = a {
            if case .float(let y) = b { return .float(op.floats(x, y)) }
            if case .int(let y) = b { return .float(op.floats(x, Double(y))) }
        }
        return try binary(op, a, b, span)
    }
}

/// Any other binary operator (`**`, `@`); the base of the arithmetic and comparison nodes.
class BinaryNode: Node {
    let op: BinaryOperator
    let lhs: Node, rhs: Node
    init(_ op: BinaryOperator, _ lhs: Node, _ rhs: Node, span: Span) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let a = try lhs.eval(&f)
        let b = try rhs.eval(&f)
        return try binary(op, a, b, span)
    }
}

/// `==`, `!=`, `<`, `<=`, `>`, `>=`: Int and Float inline.
final class CompareNode: BinaryNode {
    override func eval(_ f: inout Frame) throws -> Value {
        let a = try lhs.eval(&f)
        let b = try rhs.eval(&f)
        if case .int(let x) = a {
            if case .int(let y) = b { return .bool(op.compare(x, y)) }
            if case .float(let y) = b { return .bool(op.compare(Double(x), y)) }
        } else if case .float(let x) = a {
            if case .float(let y) = b { return .bool(op.compare(x, y)) }
            if case .int(let y) = b { return .bool(op.compare(x, Double(y))) }
        }
        return try binary(op, a, b, span)
    }
}

/// `a && b` (short-circuit).
final class AndNode: Node {
    let lhs: Node, rhs: Node
    init(_ lhs: Node, _ rhs: Node, span: Span) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        guard try truth(lhs.eval(&f), lhs.span, "&&") else { return .bool(false) }
        return .bool(try truth(rhs.eval(&f), rhs.span, "&&"))
    }
}

/// `a || b` (short-circuit).
final class OrNode: Node {
    let lhs: Node, rhs: Node
    init(_ lhs: Node, _ rhs: Node, span: Span) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        if try truth(lhs.eval(&f), lhs.span, "||") { return .bool(true) }
        return .bool(try truth(rhs.eval(&f), rhs.span, "||"))
    }
}

/// `cond ? a : b`; on tensors elementwise (`where`).
final class TernaryNode: Node {
    let cond: Node, a: Node, b: Node
    init(_ cond: Node, _ a: Node, _ b: Node, span: Span) {
        self.cond = cond
        self.a = a
        self.b = b
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        let c = try cond.eval(&f)
        if case .bool(let t) = c { return try t ? a.eval(&f) : b.eval(&f) }
        if case .tensor(let m) = c {
            let x = try a.eval(&f), y = try b.eval(&f)
            let tx = try toTensor(x, a.span, "the first branch of ?:", like: y.tensorValue)
            let ty = try toTensor(y, b.span, "the second branch of ?:", like: x.tensorValue)
            return .tensor(try rt(span) { try Tensor.select(m, tx, ty) })
        }
        throw StrideError(.type, "?: condition must be a Bool or a tensor, got \(c.typeName)", span: cond.span)
    }
}

/// `-x`, `!x`.
final class UnaryNode: Node {
    let op: UnaryOperator
    let operand: Node
    init(_ op: UnaryOperator, _ operand: Node, span: Span) {
        self.op = op
        self.operand = operand
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        let v = try operand.eval(&f)
        if op == .negate {
            if case .float(let d) = v { return .float(-d) }
            if case .int(let i) = v, i != Int.min { return .int(-i) }
        } else if case .bool(let b) = v {
            return .bool(!b)
        }
        return try unary(op, v, span)
    }
}

/// `a..<b`, `a...b`.
final class RangeNode: Node {
    let lo: Node, hi: Node
    let closed: Bool
    init(_ lo: Node, _ hi: Node, closed: Bool, span: Span) {
        self.lo = lo
        self.hi = hi
        self.closed = closed
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        guard case .int(let a) = try lo.eval(&f), case .int(let b) = try hi.eval(&f) else {
            throw StrideError(.type, "range bounds must be Int", span: span)
        }
        if closed && b == Int.max { throw StrideError(.value, "range upper bound is too large", span: span) }
        let top = closed ? b + 1 : b
        guard a <= top else {
            throw StrideError(
                .value, "range requires lowerBound <= upperBound, got \(a)\(closed ? "..." : "..<")\(b)", span: span)
        }
        return .range(a, top)
    }
}

/// `"text \(expr) text"`.
final class InterpolationNode: Node {
    enum Part {
        case text(String)
        case expr(Node)
    }
    let parts: [Part]
    init(parts: [Part], span: Span) {
        self.parts = parts
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        var s = ""
        for p in parts {
            switch p {
            case .text(let t): s += t
            case .expr(let e): s += try printed(e.eval(&f), e.span)
            }
            if s.utf8.count > 1 << 20 { try checkStringSize(s.utf8.count, span) }
        }
        return .string(s)
    }
}

/// `[a, b, c]` (a list) or `(a, b)` (a tuple).
final class SequenceNode: Node {
    let items: [Node]
    let isTuple: Bool
    init(items: [Node], isTuple: Bool, span: Span) {
        self.items = items
        self.isTuple = isTuple
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for i in items { out.append(try i.eval(&f)) }
        return isTuple ? .tuple(TupleRef(out)) : .list(ListRef(out))
    }
}

/// `["k": v, …]`.
final class DictNode: Node {
    let pairs: [(Node, Node)]
    init(pairs: [(Node, Node)], span: Span) {
        self.pairs = pairs
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        let d = DictRef()
        for (k, v) in pairs {
            let key = try dictKey(k.eval(&f), k.span)
            try rt(span) { try d.set(key, try v.eval(&f)) }
        }
        return .dict(d)
    }
}

/// `{ x in … }` and nested `func`s: a new function value with the cells it captures.
final class ClosureNode: Node {
    let proto: FunctionProto
    init(proto: FunctionProto, span: Span) {
        self.proto = proto
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        var captured: [Cell] = []
        captured.reserveCapacity(proto.captures.count)
        for c in proto.captures {
            switch c {
            case .frameCell(let i):
                guard let cells = f.cells else { throw StrideError(.name, "internal: no cells to capture", span: span) }
                captured.append(cells[i])
            case .capture(let i):
                captured.append(f.capture(i))
            }
        }
        return .function(Function(proto: proto, captures: captured, owner: f.function?.owner))
    }
}

/// A `layer` declaration's value (built where it is declared, capturing what it uses).
final class LayerTypeNode: Node {
    let proto: FunctionProto
    let name: String, doc: String?, signature: String
    init(proto: FunctionProto, name: String, doc: String?, signature: String, span: Span) {
        self.proto = proto
        self.name = name
        self.doc = doc
        self.signature = signature
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        guard case .function(let fn) = try ClosureNode(proto: proto, span: span).eval(&f) else {
            throw StrideError(.type, "internal: a layer body is not a function", span: span)
        }
        return .layerType(
            LayerType(proto: proto, captures: fn.captures, name: name, doc: doc, signature: signature, span: span))
    }
}

/// A dictionary key from a value (strings and integers).
func dictKey(_ v: Value, _ s: Span) throws -> DictKey {
    switch v {
    case .string(let x): return .string(x)
    case .int(let i): return .int(i)
    default: throw StrideError(.type, "dictionary keys are Strings or Ints, got \(v.typeName)", span: s)
    }
}
