import CNN
import Foundation

extension BinaryOperator {
    /// The runtime's elementwise op for this operator on tensors (nil for `@`, `&&`, `||`).
    var tensorOp: BinaryOp? {
        switch self {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .remainder
        case .pow: .pow
        case .eq: .eq
        case .ne: .ne
        case .lt: .lt
        case .le: .le
        case .gt: .gt
        case .ge: .ge
        case .matmul, .and, .or: nil
        }
    }
}

func overflow(_ x: Int, _ op: String, _ y: Int, _ s: Span) -> StrideError {
    StrideError(.value, "integer overflow: \(x) \(op) \(y) does not fit in 64 bits; use Float", span: s)
}

/// Int ** Int: exact for a non-negative exponent (overflow is an error), a Float otherwise.
func intPower(_ x: Int, _ y: Int, _ s: Span) throws -> Value {
    guard y >= 0 else { return .float(Foundation.pow(Double(x), Double(y))) }
    var result = 1, base = x, e = y
    while e > 0 {
        if e & 1 == 1 {
            let (r, o) = result.multipliedReportingOverflow(by: base)
            if o { throw overflow(x, "**", y, s) }
            result = r
        }
        e >>= 1
        if e > 0 {
            let (b2, o) = base.multipliedReportingOverflow(by: base)
            if o { throw overflow(x, "**", y, s) }
            base = b2
        }
    }
    return .int(result)
}

/// Every binary operator on every pair of operand types (the nodes' fast paths cover Int and Float).
func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ s: Span) throws -> Value {
    if op == .eq || op == .ne, a.isNil || b.isNil {  // `x.grad == nil`
        return .bool((a.isNil && b.isNil) == (op == .eq))
    }
    switch (a, b) {
    case (.int(let x), .int(let y)):
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow(x, "+", y, s) }
            return .int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow(x, "-", y, s) }
            return .int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow(x, "*", y, s) }
            return .int(r)
        case .div, .mod:
            guard y != 0 else { throw StrideError(.value, "division by zero: \(x) \(op.rawValue) 0", span: s) }
            guard !(x == Int.min && y == -1) else { throw overflow(x, op.rawValue, y, s) }
            return .int(op == .div ? x / y : x % y)
        case .pow:
            return try intPower(x, y, s)
        case .matmul:
            break
        default:
            return .bool(op.compare(x, y))
        }
    case (.int, .float), (.float, .int), (.float, .float), (.bool, .int), (.int, .bool), (.bool, .float),
        (.float, .bool):
        if case .bool = a, !op.isComparison { break }
        if case .bool = b, !op.isComparison { break }
        let x = try number(a, s), y = try number(b, s)
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div: return .float(x / y)
        case .mod: return .float(x.truncatingRemainder(dividingBy: y))
        case .pow: return .float(Foundation.pow(x, y))
        case .matmul: break
        default: return .bool(op.compare(x, y))
        }
    case (.string(let x), .string(let y)):
        if op == .add {
            try checkStringSize(x.utf8.count + y.utf8.count, s)
            return .string(x + y)
        }
        if op.isComparison { return .bool(op.compare(x, y)) }
    case (.string, _) where op == .add:
        throw StrideError(
            .type, "cannot add a \(b.typeName) to a String; use \"\\(value)\" interpolation or String(v)", span: s)
    case (.list(let x), .list(let y)) where op == .add:
        try MemoryBudget.current.check((x.items.count + y.items.count) * 24, "a list")
        return .list(ListRef(x.items + y.items))
    case (.bool(let x), .bool(let y)) where op == .eq || op == .ne:
        return .bool((x == y) == (op == .eq))
    case (.tensor, _), (_, .tensor):
        if op == .matmul {
            let ta = try toTensor(a, s, "the left operand of @"), tb = try toTensor(b, s, "the right operand of @")
            return .tensor(try rt(s) { try ta.matmul(tb) })
        }
        guard let top = op.tensorOp else { break }
        let ta = try toTensor(a, s, "the left operand of \(op.rawValue)", like: b.tensorValue)
        let tb = try toTensor(b, s, "the right operand of \(op.rawValue)", like: a.tensorValue)
        return .tensor(try rt(s) { try ta.binary(top, tb) })
    case (.list, _), (_, .list):
        if op == .eq || op == .ne { break }
        if let ta = try? toTensor(a, s, ""), let tb = try? toTensor(b, s, "") {
            if op == .matmul { return .tensor(try rt(s) { try ta.matmul(tb) }) }
            guard let top = op.tensorOp else { break }
            return .tensor(try rt(s) { try ta.binary(top, tb) })
        }
    default:
        break
    }
    if op == .eq { return .bool(try equal(a, b, s)) }
    if op == .ne { return .bool(!(try equal(a, b, s))) }
    throw StrideError(
        .type,
        "binary operator '\(op.rawValue)' cannot be applied to operands of type \(a.typeName) and \(b.typeName)",
        span: s)
}

/// `-x` and `!x`.
func unary(_ op: UnaryOperator, _ v: Value, _ s: Span) throws -> Value {
    switch (op, v) {
    case (.negate, .int(let i)):
        guard i != Int.min else { throw StrideError(.value, "integer overflow negating \(i)", span: s) }
        return .int(-i)
    case (.negate, .float(let d)): return .float(-d)
    case (.negate, .tensor(let t)): return .tensor(try rt(s) { try t.neg() })
    case (.not, .bool(let b)): return .bool(!b)
    case (.not, .tensor(let t)):
        // logical not of a mask (or of any tensor: 1 where it is 0)
        let r = try rt(s) { try withNoGrad { try t.binary(.eq, Tensor(scalar: 0, dtype: t.dtype)) } }
        return .tensor(r)
    default:
        throw StrideError(.type, "unary operator '\(op.rawValue)' cannot be applied to a \(v.typeName)", span: s)
    }
}

/// Structural equality for `==` on values that are not numbers (lists compare element by element;
/// objects by identity), with cycles and depth bounded.
func equal(_ a: Value, _ b: Value, _ s: Span) throws -> Bool {
    var seen = Set<[ObjectIdentifier]>()
    func eq(_ a: Value, _ b: Value, _ depth: Int) throws -> Bool {
        guard depth < 1000 else {
            throw StrideError(.recursion, "values nested more than 1000 levels deep cannot be compared", span: s)
        }
        switch (a, b) {
        case (.none, .none): return true
        case (.none, _), (_, .none): return false
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.layer(let x), .layer(let y)): return x === y
        case (.optimizer(let x), .optimizer(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            let key = [ObjectIdentifier(x), ObjectIdentifier(y)]
            if !seen.insert(key).inserted { return true }  // a cycle: equal so far
            for (p, q) in zip(x.items, y.items) where !(try eq(p, q, depth + 1)) { return false }
            return true
        case (.tuple(let x), .tuple(let y)):
            guard x.items.count == y.items.count else { return false }
            for (p, q) in zip(x.items, y.items) where !(try eq(p, q, depth + 1)) { return false }
            return true
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            let key = [ObjectIdentifier(x), ObjectIdentifier(y)]
            if !seen.insert(key).inserted { return true }
            for (k, v) in x.pairs {
                guard let w = y[k], try eq(v, w, depth + 1) else { return false }
            }
            return true
        case (.int(let x), .int(let y)): return x == y
        case (.float, .int), (.int, .float), (.float, .float): return (try? number(a, s) == number(b, s)) ?? false
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
        case (.builtin(let x), .builtin(let y)): return x.name == y.name
        case (.layerType(let x), .layerType(let y)): return x === y
        default: return false
        }
    }
    return try eq(a, b, 0)
}

/// A string of `bytes` must fit in what the session's memory budget has left (MemoryError otherwise): strings
/// are checked when made, lists and dictionaries charged as they grow.
@inline(__always) func checkStringSize(_ bytes: Int, _ s: Span) throws {
    if bytes > 1 << 16 { try rt(s) { try MemoryBudget.current.check(bytes, "a string") } }
}
