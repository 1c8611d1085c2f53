extension Resolver {
    func expression(_ e: Expr) throws -> Node {
        switch e {
        case .int(let v, let s): return ConstNode(.int(v), span: s)
        case .float(let v, let s): return ConstNode(.float(v), span: s)
        case .bool(let b, let s): return ConstNode(.bool(b), span: s)
        case .nilLiteral(let s): return ConstNode(.none, span: s)
        case .string(let parts, let s):
            if parts.count == 1, case .text(let t) = parts[0] { return ConstNode(.string(t), span: s) }
            return InterpolationNode(
                parts: try parts.map { p in
                    switch p {
                    case .text(let t): return .text(t)
                    case .expr(let x): return .expr(try expression(x))
                    }
                }, span: s)
        case .name(let n, let s):
            return try name(n, s)
        case .list(let items, let s):
            return SequenceNode(items: try items.map { try expression($0) }, isTuple: false, span: s)
        case .tuple(let items, let s):
            return SequenceNode(items: try items.map { try expression($0) }, isTuple: true, span: s)
        case .dict(let pairs, let s):
            return DictNode(pairs: try pairs.map { (try expression($0.key), try expression($0.value)) }, span: s)
        case .unary(let op, let x, let s):
            return UnaryNode(op, try expression(x), span: s)
        case .binary(.and, let l, let r, let s):
            return AndNode(try expression(l), try expression(r), span: s)
        case .binary(.or, let l, let r, let s):
            return OrNode(try expression(l), try expression(r), span: s)
        case .binary(let bop, let l, let r, let s):
            let a = try expression(l), b = try expression(r)
            let general: Node
            switch bop {
            case .add, .sub, .mul, .div, .mod: general = ArithmeticNode(bop, a, b, span: s)
            case .pow, .matmul: return BinaryNode(bop, a, b, span: s)
            default: general = CompareNode(bop, a, b, span: s)
            }
            // a local and an Int constant: the specialised node
            guard let local = a as? LocalNode, let c = (b as? ConstNode)?.value, case .int(let k) = c else {
                return general
            }
            switch bop {
            case .add, .sub, .mul, .div, .mod:
                return LocalConstArithmeticNode(op: bop, slot: local.slot, constant: k, general: general)
            default: return LocalConstCompareNode(op: bop, slot: local.slot, constant: k, general: general)
            }
        case .ternary(let c, let a, let b, let s):
            return TernaryNode(try expression(c), try expression(a), try expression(b), span: s)
        case .range(let l, let r, let closed, let s):
            return RangeNode(try expression(l), try expression(r), closed: closed, span: s)
        case .call(let callee, let args, let s):
            return try call(callee, args, s)
        case .member(let obj, let n, let s):
            return MemberNode(object: try expression(obj), name: n, span: s)
        case .index(let obj, let items, let s):
            return IndexNode(object: try expression(obj), items: try items.map(indexItem), span: s)
        case .closure(let d):
            let proto = try function(
                name: "closure", kind: .closure, params: d.params, body: d.body, span: d.span, doc: nil,
                signature: "{ (" + d.params.map(\.name).joined(separator: ", ") + ") in … }",
                singleExpressionValue: true)
            return ClosureNode(proto: proto, span: d.span)
        }
    }

    func indexItem(_ it: IndexExpr) throws -> IndexNodeItem {
        switch it {
        case .single(let e): return .single(try expression(e))
        case .slice(let a, let b, let c):
            return .slice(
                try a.map { try expression($0) }, try b.map { try expression($0) }, try c.map { try expression($0) })
        case .ellipsis: return .ellipsis
        case .newAxis: return .newAxis
        }
    }

    /// A name: a local, cell, capture or global; `self` and `training` inside layers.
    func name(_ n: String, _ s: Span) throws -> Node {
        if let (loc, _) = try lookup(n, s) {
            switch loc {
            case .local(let i): return LocalNode(slot: i, span: s)
            case .cell(let i): return CellNode(index: i, span: s)
            case .capture(let i): return CaptureNode(index: i, span: s)
            case .global(let g): return GlobalNode(cell: g, span: s)
            }
        }
        if context.inLayer {
            if n == "self" { return SelfNode(span: s) }
            if n == "training" { return TrainingNode(span: s) }
        }
        return GlobalNode(cell: globals.cell(n), span: s)
    }

    func call(_ callee: Expr, _ args: [CallArgument], _ s: Span) throws -> Node {
        var positional: [Node] = []
        var labels: [(String, Node, Span)] = []
        for a in args {
            let v = try expression(a.value)
            if let l = a.label {
                if labels.contains(where: { $0.0 == l }) {
                    throw StrideError(.type, "argument '\(l):' given twice", span: a.labelSpan ?? a.value.span)
                }
                labels.append((l, v, a.labelSpan ?? a.value.span))
            } else {
                positional.append(v)
            }
        }
        if case .member(let obj, let name, _) = callee {
            // x[i, j].item(): the element fast path
            if name == "item", positional.isEmpty, labels.isEmpty, case .index(let base, let items, _) = obj,
                items.allSatisfy({ if case .single = $0 { true } else { false } })
            {
                let indices = try items.compactMap { it -> Node? in
                    if case .single(let e) = it { return try expression(e) }
                    return nil
                }
                return ElementItemNode(object: try expression(base), indices: indices, span: s)
            }
            return MethodCallNode(receiver: try expression(obj), name: name, args: positional, labels: labels, span: s)
        }
        return CallNode(callee: try expression(callee), args: positional, labels: labels, span: s)
    }

    // MARK: Names used by nested functions

    /// Adds every name that a function nested inside `s` mentions (the locals those names refer to must be
    /// cells). An over-approximation is harmless: an extra cell only costs a little speed.
    static func namesInNestedFunctions(_ s: Stmt, into out: inout Set<String>, nested: Bool) {
        switch s {
        case .expr(let e, _): names(in: e, into: &out, nested: nested)
        case .binding(_, _, let e, _): names(in: e, into: &out, nested: nested)
        case .assign(let t, _, let e, _):
            names(in: t, into: &out, nested: nested)
            names(in: e, into: &out, nested: nested)
        case .funcDecl(let d):
            if nested { out.insert(d.name) }
            for p in d.params { if let x = p.defaultValue { names(in: x, into: &out, nested: true) } }
            for b in d.body { namesInNestedFunctions(b, into: &out, nested: true) }
            // a function that calls itself needs its own name as a cell
            out.insert(d.name)
        case .layerDecl(let d):
            for p in d.params { if let x = p.defaultValue { names(in: x, into: &out, nested: true) } }
            for b in d.body { namesInNestedFunctions(b, into: &out, nested: true) }
        case .ifStmt(let clauses, let otherwise, _):
            for (c, body) in clauses {
                names(in: c, into: &out, nested: nested)
                for b in body { namesInNestedFunctions(b, into: &out, nested: nested) }
            }
            for b in otherwise ?? [] { namesInNestedFunctions(b, into: &out, nested: nested) }
        case .whileStmt(let c, let body, _):
            names(in: c, into: &out, nested: nested)
            for b in body { namesInNestedFunctions(b, into: &out, nested: nested) }
        case .forStmt(_, let seq, let body, _):
            names(in: seq, into: &out, nested: nested)
            for b in body { namesInNestedFunctions(b, into: &out, nested: nested) }
        case .returnStmt(let e, _):
            if let e { names(in: e, into: &out, nested: nested) }
        case .magic(_, _, let inner, _):
            if let inner { namesInNestedFunctions(inner, into: &out, nested: nested) }
        case .breakStmt, .continueStmt:
            break
        }
    }

    static func names(in e: Expr, into out: inout Set<String>, nested: Bool) {
        switch e {
        case .name(let n, _): if nested { out.insert(n) }
        case .int, .float, .bool, .nilLiteral: break
        case .string(let parts, _):
            for p in parts { if case .expr(let x) = p { names(in: x, into: &out, nested: nested) } }
        case .list(let items, _), .tuple(let items, _):
            for i in items { names(in: i, into: &out, nested: nested) }
        case .dict(let pairs, _):
            for p in pairs {
                names(in: p.key, into: &out, nested: nested)
                names(in: p.value, into: &out, nested: nested)
            }
        case .unary(_, let x, _): names(in: x, into: &out, nested: nested)
        case .binary(_, let a, let b, _), .range(let a, let b, _, _):
            names(in: a, into: &out, nested: nested)
            names(in: b, into: &out, nested: nested)
        case .ternary(let c, let a, let b, _):
            names(in: c, into: &out, nested: nested)
            names(in: a, into: &out, nested: nested)
            names(in: b, into: &out, nested: nested)
        case .call(let c, let args, _):
            names(in: c, into: &out, nested: nested)
            for a in args { names(in: a.value, into: &out, nested: nested) }
        case .member(let o, _, _): names(in: o, into: &out, nested: nested)
        case .index(let o, let items, _):
            names(in: o, into: &out, nested: nested)
            for it in items {
                switch it {
                case .single(let x): names(in: x, into: &out, nested: nested)
                case .slice(let a, let b, let c):
                    for x in [a, b, c] { if let x { names(in: x, into: &out, nested: nested) } }
                default: break
                }
            }
        case .closure(let d):
            for b in d.body { namesInNestedFunctions(b, into: &out, nested: true) }
        }
    }
}
