import CNN

/// An iterator over anything `for … in` accepts: ranges, lists, tuples, dictionaries ((key, value)
/// pairs), strings, tensors (along the first axis, as views), Sequential models, generators.
func iterator(_ v: Value, _ span: Span) throws -> () throws -> Value? {
    switch v {
    case .range(let lo, let hi):
        var i = lo
        return {
            guard i < hi else { return nil }
            defer { i += 1 }
            return .int(i)
        }
    case .list(let l):
        var i = 0
        return {
            guard i < l.items.count else { return nil }
            defer { i += 1 }
            return l.items[i]
        }
    case .tuple(let t):
        var i = 0
        return {
            guard i < t.items.count else { return nil }
            defer { i += 1 }
            return t.items[i]
        }
    case .dict(let d):
        let pairs = d.pairs
        var i = 0
        return {
            guard i < pairs.count else { return nil }
            defer { i += 1 }
            return .tuple(TupleRef([pairs[i].0.value, pairs[i].1]))
        }
    case .tensor(let t):
        guard t.ndim > 0 else { throw StrideError(.type, "cannot iterate over a 0-d tensor", span: span) }
        var i = 0
        return {
            guard i < t.shape[0] else { return nil }
            defer { i += 1 }
            return .tensor(try t.index([.index(i)]))
        }
    case .string(let s):
        var it = s.makeIterator()
        return { it.next().map { .string(String($0)) } }
    case .generator(let g):
        return try rt(span) { try g.makeIterator() }
    case .layer(let l as any IndexableLayers):
        var i = 0
        return {
            let stages = l.elements
            guard i < stages.count else { return nil }
            defer { i += 1 }
            return .layer(stages[i])
        }
    default:
        throw StrideError(.type, "cannot iterate over a \(v.typeName)", span: span)
    }
}

/// Every element of an iterable, as a list (checked against the memory budget as it grows).
func elements(_ v: Value, _ span: Span) throws -> [Value] {
    switch v {
    case .list(let l): return l.items
    case .tuple(let t): return t.items
    case .range(let lo, let hi):
        let n = try rangeCount(lo, hi, span)
        try rt(span) { try MemoryBudget.current.check(n > Int.max / 24 ? -1 : n * 24, "a list of \(n) elements") }
        return (lo..<hi).map { .int($0) }
    default:
        let next = try iterator(v, span)
        var out: [Value] = []
        while let x = try rt(span, { try next() }) {
            if out.count & 0xFFFF == 0xFFFF {
                try rt(span) { try Cancellation.check() }
                try MemoryBudget.current.check(out.count * 48, "a list")
            }
            out.append(x)
        }
        return out
    }
}

/// The number of integers in `lo..<hi`, or a ValueError when it is more than an Int can count (as Python's
/// OverflowError for `len(range(-2**63 + 1, 2**63 - 1))`).
func rangeCount(_ lo: Int, _ hi: Int, _ s: Span) throws -> Int {
    let (n, overflow) = hi.subtractingReportingOverflow(lo)
    guard !overflow else {
        throw StrideError(.value, "the range \(lo)..<\(hi) has more elements than an Int can count", span: s)
    }
    return n
}
