import CNN
import Foundation

extension Interpreter {
    func eval(_ e: Expr, _ scope: Scope) throws -> Value {
        switch e {
        case .int(let v, _): return .int(v)
        case .float(let v, _): return .float(v)
        case .bool(let b, _): return .bool(b)
        case .nilLiteral: return .none
        case .string(let parts, _):
            var s = ""
            for p in parts {
                switch p {
                case .text(let t): s += t
                case .expr(let x): s += try eval(x, scope).printed
                }
            }
            return .string(s)
        case .name(let n, let s): return try lookup(n, scope, s)
        case .list(let items, _): return .list(ListRef(try items.map { try eval($0, scope) }))
        case .tuple(let items, _): return .tuple(try items.map { try eval($0, scope) })
        case .unary(let op, let x, let s): return try unary(op, eval(x, scope), s)
        case .binary("&&", let l, let r, _):
            guard try truth(eval(l, scope), l.span, "&&") else { return .bool(false) }
            return .bool(try truth(eval(r, scope), r.span, "&&"))
        case .binary("||", let l, let r, _):
            if try truth(eval(l, scope), l.span, "||") { return .bool(true) }
            return .bool(try truth(eval(r, scope), r.span, "||"))
        case .binary(let op, let l, let r, let s):
            return try binary(op, eval(l, scope), eval(r, scope), s)
        case .range(let l, let r, let closed, let s):
            guard case .int(let a) = try eval(l, scope), case .int(let b) = try eval(r, scope) else {
                throw StrideError(.type, "range bounds must be Int", span: s)
            }
            if closed && b == Int.max { throw StrideError(.value, "range upper bound is too large", span: s) }
            let hi = closed ? b + 1 : b
            guard a <= hi else { throw StrideError(.value, "range requires lowerBound <= upperBound, got \(a)\(closed ? "..." : "..<")\(b)", span: s) }
            return .range(a, hi)
        case .call(let callee, let args, let s):
            return try call(callee, args, scope, s)
        case .member(let objExpr, let name, let s):
            let obj = try eval(objExpr, scope)
            return try rt(s) { try member(obj, name, s) }
        case .index(let objExpr, let items, let s):
            let obj = try eval(objExpr, scope)
            return try index(obj, items, scope, s)
        }
    }

    // MARK: Operators
    func unary(_ op: String, _ v: Value, _ s: Span) throws -> Value {
        switch (op, v) {
        case ("-", .int(let i)):
            guard i != Int.min else { throw StrideError(.value, "integer overflow negating \(i)", span: s) }
            return .int(-i)
        case ("-", .float(let d)): return .float(-d)
        case ("-", .tensor(let t)): return .tensor(try rt(s) { try t.neg() })
        case ("!", .bool(let b)): return .bool(!b)
        default: throw StrideError(.type, "unary operator '\(op)' cannot be applied to a \(v.typeName)", span: s)
        }
    }

    static let tensorOps: [String: BinaryOp] = ["+": .add, "-": .sub, "*": .mul, "/": .div, "==": .eq, "!=": .ne, "<": .lt, "<=": .le, ">": .gt, ">=": .ge]

    func binary(_ op: String, _ a: Value, _ b: Value, _ s: Span) throws -> Value {
        if (op == "==" || op == "!="), a.isNil || b.isNil {      // `x.grad == nil`
            return .bool((a.isNil && b.isNil) == (op == "=="))
        }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case "+": let (r, o) = x.addingReportingOverflow(y); if o { throw overflow(x, op, y, s) }; return .int(r)
            case "-": let (r, o) = x.subtractingReportingOverflow(y); if o { throw overflow(x, op, y, s) }; return .int(r)
            case "*": let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw overflow(x, op, y, s) }; return .int(r)
            case "/", "%":
                guard y != 0 else { throw StrideError(.value, "division by zero: \(x) \(op) 0", span: s) }
                guard !(x == Int.min && y == -1) else { throw overflow(x, op, y, s) }
                return .int(op == "/" ? x / y : x % y)
            default: if let c = Self.compare(op, x, y) { return .bool(c) }
            }
        case (.int, .float), (.float, .int), (.float, .float):
            let x = try number(a, s), y = try number(b, s)
            switch op {
            case "+": return .float(x + y)
            case "-": return .float(x - y)
            case "*": return .float(x * y)
            case "/": return .float(x / y)
            case "%": return .float(x.truncatingRemainder(dividingBy: y))
            default: if let c = Self.compare(op, x, y) { return .bool(c) }
            }
        case (.string(let x), .string(let y)):
            if op == "+" { return .string(x + y) }
            if let c = Self.compare(op, x, y) { return .bool(c) }
        case (.string, _) where op == "+":
            throw StrideError(.type, "cannot add a \(b.typeName) to a String; use \"\\(value)\" interpolation or String(v)", span: s)
        case (.list(let x), .list(let y)) where op == "+":
            return .list(ListRef(x.items + y.items))
        case (.bool(let x), .bool(let y)) where op == "==" || op == "!=":
            return .bool((x == y) == (op == "=="))
        case (.tensor, _), (_, .tensor):
            guard let bop = Self.tensorOps[op] ?? (op == "@" ? .add : nil) else { break }
            let ta = try toTensor(a, s, "the left operand of \(op)", like: b.tensorValue)
            let tb = try toTensor(b, s, "the right operand of \(op)", like: a.tensorValue)
            if op == "@" { return .tensor(try rt(s) { try ta.matmul(tb) }) }
            return .tensor(try rt(s) { try ta.binary(bop, tb) })
        case (.list, _), (_, .list):
            if op == "@" || (Self.tensorOps[op] != nil && op != "==" && op != "!="),
               let ta = try? toTensor(a, s, ""), let tb = try? toTensor(b, s, "") {
                if op == "@" { return .tensor(try rt(s) { try ta.matmul(tb) }) }
                return .tensor(try rt(s) { try ta.binary(Self.tensorOps[op]!, tb) })
            }
        default: break
        }
        if op == "==" { return .bool(identical(a, b)) }
        if op == "!=" { return .bool(!identical(a, b)) }
        throw StrideError(.type, "binary operator '\(op)' cannot be applied to operands of type \(a.typeName) and \(b.typeName)", span: s)
    }

    /// The six comparison operators on any Comparable; nil for other operators.
    @inline(__always) static func compare<T: Comparable>(_ op: String, _ x: T, _ y: T) -> Bool? {
        switch op {
        case "==": x == y
        case "!=": x != y
        case "<": x < y
        case "<=": x <= y
        case ">": x > y
        case ">=": x >= y
        default: nil
        }
    }

    func overflow(_ x: Int, _ op: String, _ y: Int, _ s: Span) -> StrideError {
        StrideError(.value, "integer overflow: \(x) \(op) \(y) does not fit in 64 bits; use Float", span: s)
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.none, _), (_, .none): return false
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.layer(let x), .layer(let y)): return x === y
        case (.list(let x), .list(let y)):
            return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { identical($0, $1) })
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case (.int(let x), .int(let y)): return x == y
        case (.float, .int), (.int, .float), (.float, .float): return (try? number(a, .unknown) == number(b, .unknown)) ?? false
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
        default: return false
        }
    }

    func number(_ v: Value, _ s: Span) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return try rt(s) { try t.item() }
        default: throw StrideError(.type, "expected a number, got \(v.typeName)", span: s)
        }
    }

    /// Converts numbers, nested lists and tensors to a tensor (in `like`'s dtype when given).
    func toTensor(_ v: Value, _ s: Span, _ what: String, like: Tensor? = nil) throws -> Tensor {
        let dt = like?.dtype ?? .float32
        switch v {
        case .tensor(let t): return t
        case .int(let i): return try rt(s) { try Tensor(scalar: Double(i), dtype: dt) }
        case .float(let d): return try rt(s) { try Tensor(scalar: d, dtype: dt) }
        case .bool(let b): return try rt(s) { try Tensor(scalar: b ? 1 : 0, dtype: dt) }
        case .list, .tuple:
            var shape: [Int] = [], flat: [Double] = []
            try flatten(v, depth: 0, &shape, &flat, s)
            return try rt(s) { try Tensor(flat, shape: shape, dtype: dt) }
        default:
            throw StrideError(.type, "\(what.isEmpty ? "value" : what) must be a Tensor, a number or a nested list of numbers, got \(v.typeName)", span: s)
        }
    }

    func flatten(_ v: Value, depth: Int, _ shape: inout [Int], _ flat: inout [Double], _ s: Span) throws {
        let items: [Value]
        switch v {
        case .list(let l): items = l.items
        case .tuple(let t): items = t
        case .int, .float, .bool:
            guard depth == shape.count else { throw StrideError(.value, "nested list is ragged: a number where a list of length \(shape[depth]) was expected", span: s) }
            flat.append(try number(v, s)); return
        case .tensor(let t):
            if depth == shape.count { shape += t.shape } else if Array(shape[depth...]) != t.shape {
                throw StrideError(.shape, "nested list is ragged: a tensor of shape \(shapeString(t.shape)) among elements of shape \(shapeString(Array(shape[depth...])))", span: s)
            }
            flat += t.values; return
        default: throw StrideError(.type, "a tensor literal can hold numbers only, got \(v.typeName)", span: s)
        }
        if depth == shape.count { shape.append(items.count) }
        else if shape[depth] != items.count {
            throw StrideError(.value, "nested list is ragged: a list of length \(items.count) where \(shape[depth]) was expected", span: s)
        }
        for it in items { try flatten(it, depth: depth + 1, &shape, &flat, s) }
    }

    // MARK: Indexing
    func indexItems(_ items: [IndexExpr], _ scope: Scope) throws -> [IndexItem] {
        try items.map { it in
            switch it {
            case .ellipsis: return .ellipsis
            case .newAxis: return .newAxis
            case .single(let e):
                let v = try eval(e, scope)
                guard case .int(let i) = v else {
                    if case .float(let d) = v, d == d.rounded() { throw StrideError(.type, "tensor indices must be Int, got Float \(d); use Int(\(d))", span: e.span) }
                    throw StrideError(.type, "tensor indices must be Int, got \(v.typeName)", span: e.span)
                }
                return .index(i)
            case .slice(let a, let b, let c):
                func opt(_ e: Expr?) throws -> Int? {
                    guard let e else { return nil }
                    let v = try eval(e, scope)
                    if case .none = v { return nil }
                    guard case .int(let i) = v else { throw StrideError(.type, "slice bounds must be Int, got \(v.typeName)", span: e.span) }
                    return i
                }
                return .slice(start: try opt(a), stop: try opt(b), step: try opt(c))
            }
        }
    }

    func intIndex(_ v: Value, _ count: Int, _ s: Span) throws -> Int {
        guard case .int(let i) = v else { throw StrideError(.type, "index must be an Int, got \(v.typeName)", span: s) }
        let j = i < 0 ? i + count : i
        guard j >= 0 && j < count else { throw StrideError(.index, "index \(i) is out of range for \(count) element\(count == 1 ? "" : "s")", span: s) }
        return j
    }

    func index(_ obj: Value, _ items: [IndexExpr], _ scope: Scope, _ s: Span) throws -> Value {
        switch obj {
        case .tensor(let t):
            let idx = try indexItems(items, scope)
            return .tensor(try rt(s) { try t.index(idx) })
        case .list, .tuple, .layer(is Sequential), .string, .range:
            let elems: [Value]
            switch obj {
            case .list(let l): elems = l.items
            case .tuple(let t): elems = t
            case .layer(let q as Sequential): elems = q.layers.map { .layer($0) }
            case .string(let str): elems = str.map { .string(String($0)) }
            case .range(let a, let b): elems = (a..<b).map { .int($0) }
            default: elems = []
            }
            guard items.count == 1 else { throw StrideError(.index, "a \(obj.typeName) takes one index, got \(items.count)", span: s) }
            switch items[0] {
            case .single(let e):
                return elems[try intIndex(eval(e, scope), elems.count, e.span)]
            case .slice:
                let tmp = try Tensor.arange(0, Double(elems.count), dtype: .float64)
                let sel = try rt(s) { try tmp.index(indexItems(items, scope)) }.values.map { elems[Int($0)] }
                if case .string = obj { return .string(sel.map { $0.printed }.joined()) }
                if case .layer = obj { return .layer(Sequential(sel.compactMap { if case .layer(let l) = $0 { return l }; return nil })) }
                return .list(ListRef(sel))
            default:
                throw StrideError(.type, "a \(obj.typeName) takes an Int index or a slice", span: s)
            }
        case .record(let r):
            guard items.count == 1, case .single(let e) = items[0], case .string(let k) = try eval(e, scope) else {
                throw StrideError(.type, "a record is indexed by a name: r[\"weight\"]", span: s)
            }
            guard let v = r[k] else { throw StrideError(.index, "no entry \"\(k)\"; entries: \(r.items.map { $0.0 }.joined(separator: ", "))", span: s) }
            return v
        default:
            throw StrideError(.type, "a \(obj.typeName) cannot be indexed", span: s)
        }
    }
}

extension Value {
    var tensorValue: Tensor? { if case .tensor(let t) = self { return t }; return nil }
}
