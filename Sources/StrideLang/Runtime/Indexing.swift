import CNN

/// One evaluated item inside `x[…]`.
enum IndexValue {
    case single(Value, Span)
    case slice(Int?, Int?, Int?)
    case ellipsis
    case newAxis
}

/// NumPy index items for a tensor: integers, slices, `...`, `nil`, integer tensors or lists (gathers),
/// masks (from comparisons).
func tensorIndex(_ items: [IndexValue], _ s: Span) throws -> [IndexItem] {
    try items.map { it in
        switch it {
        case .ellipsis: return .ellipsis
        case .newAxis: return .newAxis
        case .slice(let a, let b, let c): return .slice(start: a, stop: b, step: c)
        case .single(let v, let vs):
            switch v {
            case .int(let i): return .index(i)
            case .tensor(let t): return t.isMask ? .mask(t) : .array(t)
            case .list, .tuple:
                let t = try toTensor(v, vs, "an index", like: try rt(vs) { try Tensor.zeros([], dtype: .int64) })
                guard t.dtype == .int64 else {
                    throw StrideError(.type, "an index list must hold Ints, got \(v.repr)", span: vs)
                }
                return .array(t)
            case .bool:
                throw StrideError(.type, "a Bool cannot index a tensor; use a mask tensor (x[x > 0])", span: vs)
            default:
                throw StrideError(.type, "tensor indices must be Int, got \(v.typeName)\(v.floatHint)", span: vs)
            }
        }
    }
}

/// An Int index into `count` elements (negative from the end).
func intIndex(_ v: Value, _ count: Int, _ s: Span) throws -> Int {
    guard case .int(let i) = v else {
        throw StrideError(.type, "index must be an Int, got \(v.typeName)\(v.floatHint)", span: s)
    }
    let j = i < 0 ? i + count : i
    guard j >= 0 && j < count else {
        throw StrideError(
            .index, "index \(i) is out of range for \(count) element\(count == 1 ? "" : "s")", span: s)
    }
    return j
}

/// The positions a slice selects from `count` elements.
func slicePositions(_ a: Int?, _ b: Int?, _ c: Int?, _ count: Int, _ s: Span) throws -> [Int] {
    let step = c ?? 1
    guard step != 0 else { throw StrideError(.value, "slice step cannot be zero", span: s) }
    func clamp(_ v: Int?, _ def: Int) -> Int {
        guard var v else { return def }
        if v < 0 { v = v < -count ? -1 : v + count }
        return step > 0 ? Swift.min(Swift.max(v, 0), count) : Swift.min(Swift.max(v, -1), count - 1)
    }
    let start = clamp(a, step > 0 ? 0 : count - 1), stop = clamp(b, step > 0 ? count : -1)
    return Array(stride(from: start, to: stop, by: step))
}

/// `obj[items]`.
func indexed(_ obj: Value, _ items: [IndexValue], _ s: Span) throws -> Value {
    switch obj {
    case .tensor(let t):
        let idx = try tensorIndex(items, s)
        return .tensor(try rt(s) { try t.index(idx) })
    case .dict(let d):
        guard items.count == 1, case .single(let k, let ks) = items[0] else {
            throw StrideError(.type, "a dictionary takes one key: d[\"W1\"]", span: s)
        }
        let key = try dictKey(k, ks)
        guard let v = d[key] else { throw keyError(key, d, ks) }
        return v
    case .list, .tuple, .string, .range, .layer:
        guard items.count == 1 else {
            throw StrideError(.index, "a \(obj.typeName) takes one index, got \(items.count)", span: s)
        }
        let count: Int
        switch obj {
        case .list(let l): count = l.items.count
        case .tuple(let t): count = t.items.count
        case .string(let str): count = str.count
        case .range(let a, let b): count = try rangeCount(a, b, s)
        case .layer(let l):
            guard let q = l as? any IndexableLayers else {
                throw StrideError(.type, "a \(l.typeName) cannot be indexed", span: s)
            }
            count = q.count
        default: count = 0
        }
        func element(_ i: Int) -> Value {
            switch obj {
            case .list(let l): return l.items[i]
            case .tuple(let t): return t.items[i]
            case .string(let str): return .string(String(str[str.index(str.startIndex, offsetBy: i)]))
            case .range(let a, _): return .int(a + i)
            case .layer(let l): return (l as? any IndexableLayers).map { .layer($0.elements[i]) } ?? .none
            default: return .none
            }
        }
        switch items[0] {
        case .single(let v, let vs):
            return element(try intIndex(v, count, vs))
        case .slice(let a, let b, let c):
            let positions = try slicePositions(a, b, c, count, s)
            switch obj {
            case .string(let str):
                let chars = Array(str)
                return .string(String(positions.map { chars[$0] }))
            case .layer(let l):
                guard let q = l as? any IndexableLayers else { return .none }
                return .layer(q.slice(positions))
            case .tuple(let t):
                return .tuple(TupleRef(positions.map { t.items[$0] }))
            default:
                return .list(ListRef(positions.map(element)))
            }
        default:
            throw StrideError(.type, "a \(obj.typeName) takes an Int index or a slice", span: s)
        }
    default:
        throw StrideError(.type, "a \(obj.typeName) cannot be indexed", span: s)
    }
}

func keyError(_ key: DictKey, _ d: DictRef, _ s: Span) -> StrideError {
    let keys = d.keys.prefix(8).map(\.repr).joined(separator: ", ")
    return StrideError(
        .key, "no key \(key.repr) in the dictionary (keys: \(keys)\(d.count > 8 ? ", …" : ""))", span: s)
}

extension Interpreter {
    /// `obj[items] = v`, or `obj[items] op= v` in place when `op` is given.
    func setIndex(_ obj: Value, _ items: [IndexValue], _ op: BinaryOperator?, _ v: Value, _ s: Span) throws {
        switch obj {
        case .tensor(let t):
            let idx = try tensorIndex(items, s)
            let val = try toTensor(v, s, "the assigned value", like: t)
            if let op {
                guard let top = op.tensorOp else {
                    throw StrideError(.type, "'\(op.rawValue)=' does not apply to tensors", span: s)
                }
                try rt(s) { try t.updateIndex(idx, top, val) }
            } else {
                try rt(s) { try t.setIndex(idx, val) }
            }
        case .list(let l):
            guard items.count == 1, case .single(let iv, let ivs) = items[0] else {
                throw StrideError(.type, "a list takes one Int index", span: s)
            }
            let i = try intIndex(iv, l.items.count, ivs)
            l.set(i, try op.map { try binary($0, l.items[i], v, s) } ?? v)
        case .dict(let d):
            guard items.count == 1, case .single(let kv, let ks) = items[0] else {
                throw StrideError(.type, "a dictionary takes one key: d[\"W1\"] = …", span: s)
            }
            let key = try dictKey(kv, ks)
            if let op {
                guard let old = d[key] else { throw keyError(key, d, ks) }
                try rt(s) { try d.set(key, try binary(op, old, v, s)) }
            } else {
                try rt(s) { try d.set(key, v) }
            }
        case .layer(let q as any IndexableLayers):
            // replacing a layer, e.g. a new classifier head for transfer learning: model[-1] = Linear(84, 3)
            guard items.count == 1, case .single(let iv, let ivs) = items[0], op == nil else {
                throw StrideError(.type, "a \(q.typeName) takes one Int index", span: s)
            }
            let i = try intIndex(iv, q.count, ivs)
            q.replace(at: i, with: try layerValue(v, s, "a \(q.typeName)'s element"))
        default:
            throw StrideError(.type, "cannot assign to an element of a \(obj.typeName)", span: s)
        }
    }
}
