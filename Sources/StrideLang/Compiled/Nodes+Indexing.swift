import CNN

/// One compiled item inside `x[…]`.
enum IndexNodeItem {
    case single(Node)
    case slice(Node?, Node?, Node?)
    case ellipsis
    case newAxis
}

extension IndexNodeItem {
    func eval(_ f: inout Frame) throws -> IndexValue {
        switch self {
        case .single(let n): return .single(try n.eval(&f), n.span)
        case .ellipsis: return .ellipsis
        case .newAxis: return .newAxis
        case .slice(let a, let b, let c):
            func bound(_ n: Node?) throws -> Int? {
                guard let n else { return nil }
                let v = try n.eval(&f)
                if case .none = v { return nil }
                guard case .int(let i) = v else {
                    throw StrideError(.type, "slice bounds must be Int, got \(v.typeName)\(v.floatHint)", span: n.span)
                }
                return i
            }
            return .slice(try bound(a), try bound(b), try bound(c))
        }
    }
}

/// `x[items]`.
final class IndexNode: Node {
    let object: Node
    let items: [IndexNodeItem]

    init(object: Node, items: [IndexNodeItem], span: Span) {
        self.object = object
        self.items = items
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let obj = try object.eval(&f)
        var values: [IndexValue] = []
        values.reserveCapacity(items.count)
        for it in items { values.append(try it.eval(&f)) }
        return try indexed(obj, values, span)
    }
}

/// `x[i, j, …].item()`: with Int indices into a tensor the element is read directly (no 0-d tensor is made,
/// nothing is allocated); anything else takes the general path (with the values already evaluated).
final class ElementItemNode: Node {
    let object: Node
    let indices: NodeList<Node>
    let item = MemberEntries("item")

    init(object: Node, indices: [Node], span: Span) {
        self.object = object
        self.indices = NodeList(indices)
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let obj = try object.eval(&f)
        let n = indices.count
        return try withUnsafeTemporaryAllocation(of: Value.self, capacity: Swift.max(1, n)) { buffer in
            guard let slots = buffer.baseAddress else { throw StrideError(.memory, "out of memory", span: span) }
            var made = 0
            defer { slots.deinitialize(count: made) }
            for k in 0..<n {
                (slots + made).initialize(to: try indices.eval(k, &f))
                made += 1
            }
            if case .tensor(let t) = obj, t.ndim == n, let p = try storageIndex(t, slots) {
                if t.dtype == .int64 { return .int(t.storage.getInt(p)) }
                return .float(t.storage.get(p))
            }
            return try general(obj, UnsafeBufferPointer(start: slots, count: made), &f)
        }
    }

    /// The storage index of the element, or nil when an index is not an Int.
    @inline(__always) func storageIndex(_ t: Tensor, _ slots: UnsafeMutablePointer<Value>) throws -> Int? {
        var p = t.offset
        for d in 0..<indices.count {
            guard case .int(let i0) = slots[d] else { return nil }
            let size = t.shape[d]
            let i = i0 < 0 ? i0 &+ size : i0
            guard i >= 0 && i < size else {
                throw StrideError(
                    CNNError.index("index \(i0) is out of bounds for dimension \(d) with size \(size)"), span: span)
            }
            p &+= i &* t.strides[d]
        }
        return p
    }

    /// Any other object or index: `x[…]` then `.item()`.
    func general(_ obj: Value, _ values: UnsafeBufferPointer<Value>, _ f: inout Frame) throws -> Value {
        let interp = f.interp
        let items = zip(values, indices.nodes).map { IndexValue.single($0, $1.span) }
        let element = try indexed(obj, items, span)
        let method = try interp.member(element, item, span)
        return try interp.apply(method, [], span: span)
    }
}
