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
        return try f.interp.index(obj, values, span)
    }
}

/// `x[i, j, …].item()`: with Int indices into a tensor the element is read directly (no 0-d tensor is made);
/// anything else takes the general path (with the values already evaluated).
final class ElementItemNode: Node {
    let object: Node
    let indices: [Node]
    let item = MemberEntries("item")

    init(object: Node, indices: [Node], span: Span) {
        self.object = object
        self.indices = indices
        super.init(span: span)
    }

    override func eval(_ f: inout Frame) throws -> Value {
        let obj = try object.eval(&f)
        var values: [Value] = []
        values.reserveCapacity(indices.count)
        var idx: [Int] = []
        idx.reserveCapacity(indices.count)
        for n in indices {
            let v = try n.eval(&f)
            if case .int(let i) = v { idx.append(i) }
            values.append(v)
        }
        let interp = f.interp
        if case .tensor(let t) = obj, idx.count == indices.count, t.ndim == idx.count {
            let p = try interp.rt(span) { try t.storageIndex(checking: idx) }
            if t.dtype == .int64 { return .int(t.storage.getInt(p)) }
            return .float(t.storage.get(p))
        }
        let items = zip(values, indices).map { IndexValue.single($0, $1.span) }
        let element = try interp.index(obj, items, span)
        let method = try interp.member(element, item, span)
        return try interp.apply(method, [], span: span)
    }
}
