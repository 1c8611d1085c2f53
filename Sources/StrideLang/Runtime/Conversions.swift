import CNN
import Foundation

/// Turns runtime (CNN) errors thrown by `body` into language errors pointing at `span`.
@inline(__always) func rt<T>(_ span: Span, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as CNNError {
        throw StrideError(e, span: span)
    } catch let f as StageFailure {
        throw StrideError(f, span: span)
    }
}

/// A number as Double (Int, Float, Bool, or a one-element tensor).
func number(_ v: Value, _ s: Span, _ what: String = "value") throws -> Double {
    switch v {
    case .int(let i): return Double(i)
    case .float(let d): return d
    case .bool(let b): return b ? 1 : 0
    case .tensor(let t) where t.count == 1: return try rt(s) { try t.item() }
    default: throw StrideError(.type, "\(what) must be a number, got \(v.typeName)", span: s)
    }
}

/// An Int (a Float that is a whole number is accepted).
func intValue(_ v: Value, _ s: Span, _ what: String = "value") throws -> Int {
    switch v {
    case .int(let x): return x
    case .float(let f) where f == f.rounded(): return try rt(s) { try Shape.integer(f, what) }
    case .bool(let b): return b ? 1 : 0
    case .tensor(let t) where t.count == 1 && t.dtype == .int64:
        return try rt(s) { try Shape.integer(t.item(), what) }
    default: throw StrideError(.type, "\(what) must be an Int, got \(v.typeName)\(v.floatHint)", span: s)
    }
}

func isCallable(_ v: Value) -> Bool {
    switch v {
    case .function, .builtin, .method, .layer, .layerType: true
    default: false
    }
}

/// Converts numbers, nested lists and tensors to a tensor (in `like`'s dtype when given).
func toTensor(_ v: Value, _ s: Span, _ what: String, like: Tensor? = nil) throws -> Tensor {
    switch v {
    case .tensor(let t): return t
    case .int(let i):
        let dt: DType = like.map { $0.dtype } ?? .float32
        if dt == .int64 { return try rt(s) { try Tensor(integers: [Int64(i)], shape: []) } }
        return try rt(s) { try Tensor(scalar: Double(i), dtype: dt) }
    case .float(let d):
        let dt: DType = like.map { $0.dtype.isFloatingPoint ? $0.dtype : .float32 } ?? .float32
        return try rt(s) { try Tensor(scalar: d, dtype: dt) }
    case .bool(let b): return try rt(s) { try Tensor(scalar: b ? 1 : 0, dtype: like?.dtype ?? .float32) }
    case .list, .tuple:
        var literal = Literal()
        try literal.add(v, depth: 0, s)
        let dt = like?.dtype ?? .float32
        if dt == .int64, let ints = literal.integers {
            return try rt(s) { try Tensor(integers: ints, shape: literal.shape) }
        }
        return try rt(s) {
            try Tensor(literal.values, shape: literal.shape, dtype: dt == .int64 ? .float32 : dt)
        }
    default:
        throw StrideError(
            .type,
            "\(what.isEmpty ? "value" : what) must be a Tensor, a number or a nested list of numbers, got \(v.typeName)",
            span: s)
    }
}

/// A nested list of numbers (and tensors) flattened into its shape and values (depth-limited); the integers
/// are also kept exactly, while every element is one, for Int64 tensors.
struct Literal {
    var shape: [Int] = []
    var values: [Double] = []
    /// The elements as exact integers, or nil once an element is not an integer.
    var integers: [Int64]? = []

    mutating func add(_ v: Value, depth: Int, _ s: Span) throws {
        guard depth < 64 else { throw StrideError(.value, "a tensor literal nested more than 64 levels deep", span: s) }
        let items: [Value]
        switch v {
        case .list(let l): items = l.items
        case .tuple(let t): items = t.items
        case .int, .float, .bool:
            guard depth == shape.count else {
                throw StrideError(
                    .value, "nested list is ragged: a number where a list of length \(shape[depth]) was expected",
                    span: s)
            }
            switch v {
            case .int(let i): integers?.append(Int64(i))
            case .bool(let b): integers?.append(b ? 1 : 0)
            default: integers = nil
            }
            values.append(try number(v, s))
            return
        case .tensor(let t):
            if depth == shape.count {
                shape += t.shape
            } else if Array(shape[depth...]) != t.shape {
                throw StrideError(
                    .shape,
                    "nested list is ragged: a tensor of shape \(shapeString(t.shape)) among elements of shape "
                        + "\(shapeString(Array(shape[depth...])))", span: s)
            }
            if t.dtype == .int64, integers != nil {
                let c = try rt(s) { try t.contiguous() }
                integers? += (0..<c.count).map { Int64(c.storage.getInt(c.offset + $0)) }
            } else {
                integers = nil
            }
            values += t.values
            return
        default:
            throw StrideError(.type, "a tensor literal can hold numbers only, got \(v.typeName)", span: s)
        }
        if depth == shape.count {
            shape.append(items.count)
        } else if shape[depth] != items.count {
            throw StrideError(
                .value, "nested list is ragged: a list of length \(items.count) where \(shape[depth]) was expected",
                span: s)
        }
        try rt(s) { try MemoryBudget.current.check(items.count * 16, "a tensor literal") }
        for it in items { try add(it, depth: depth + 1, s) }
    }
}

/// The truth of a condition (Bool only; a tensor is a clear error).
@inline(__always) func truth(_ v: Value, _ span: Span, _ ctx: String) throws -> Bool {
    if case .bool(let b) = v { return b }
    switch v {
    case .tensor(let t) where t.count == 1:
        throw StrideError(
            .type, "\(ctx) condition is a Tensor, not a Bool; use .item() to get its number", span: span)
    default:
        throw StrideError(.type, "\(ctx) condition must be a Bool, got \(v.typeName)", span: span)
    }
}

/// Monotonic seconds, for timing (`clock()`, progress bars, `%time`).
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
