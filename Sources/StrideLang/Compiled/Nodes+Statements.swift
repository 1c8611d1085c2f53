import CNN

/// An expression evaluated for its effect.
final class ExprStmtNode: StmtNode {
    let expr: Node
    init(_ expr: Node) {
        self.expr = expr
        super.init(span: expr.span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        _ = try expr.eval(&f)
        return .normal
    }
}

/// The last expression of a cell: its value is the cell's result.
final class CellResultNode: StmtNode {
    let expr: Node
    init(_ expr: Node) {
        self.expr = expr
        super.init(span: expr.span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        f.returnValue = try expr.eval(&f)
        return .normal
    }
}

/// Where a declaration puts a value.
enum BindTarget {
    case local(Int)
    /// A captured local: each execution of the declaration makes a fresh cell (a closure made in an earlier
    /// loop iteration keeps its own).
    case cell(Int, mutable: Bool)
    case global(GlobalCell, mutable: Bool, name: String)
    case discard
}

/// Where an assignment to a name goes.
enum AssignTarget {
    case local(Int)
    case cell(Int)
    case capture(Int)
    case global(GlobalCell)
}

extension Frame {
    @inline(__always) mutating func bind(_ t: BindTarget, _ v: Value, _ span: Span) throws {
        switch t {
        case .local(let s): locals[s] = v
        case .cell(let c, let m): cells?[c] = Cell(v, mutable: m)
        case .global(let g, let m, let name):
            try interp.globals.declare(name, v, mutable: m, execution: interp.execution, span: span)
            _ = g
        case .discard: break
        }
    }

    @inline(__always) func read(_ t: AssignTarget, _ span: Span) throws -> Value {
        switch t {
        case .local(let s): return locals[s]
        case .cell(let c): return cells?[c].value ?? .none
        case .capture(let c): return capture(c).value
        case .global(let g):
            if let v = g.value { return v }
            if let b = g.builtin { return .builtin(b) }
            throw interp.nameError(g.name, span)
        }
    }

    @inline(__always) func assign(_ t: AssignTarget, _ v: Value, _ span: Span) throws {
        switch t {
        case .local(let s): locals[s] = v
        case .cell(let c):
            guard let cell = cells?[c] else { return }
            cell.value = v
        case .capture(let c):
            let cell = capture(c)
            guard cell.mutable else {
                throw StrideError(
                    .type, "cannot assign to a 'let' constant captured by this closure; declare it with var", span: span
                )
            }
            cell.value = v
        case .global(let g):
            guard g.value != nil else {
                if g.builtin != nil {
                    throw StrideError(
                        .name, "cannot assign to builtin '\(g.name)'; declare a new name with let or var", span: span)
                }
                throw StrideError(
                    .name, "cannot find '\(g.name)' in scope; declare it first with var \(g.name) = …", span: span)
            }
            guard g.mutable else {
                throw StrideError(
                    .type, "cannot assign to value: '\(g.name)' is a 'let' constant; declare it with var to change it",
                    span: span)
            }
            g.value = v
        }
    }
}

/// `let x = e` / `var x = e`.
final class BindNode: StmtNode {
    let target: BindTarget
    let value: Node
    init(_ target: BindTarget, _ value: Node, span: Span) {
        self.target = target
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        try f.bind(target, try value.eval(&f), span)
        return .normal
    }
}

/// A tuple pattern's shape, with the target of each name.
indirect enum PatternTargets {
    case one(BindTarget, Span)
    case tuple([PatternTargets], Span)
}

extension Frame {
    /// Binds a (nested) tuple pattern.
    mutating func bind(_ p: PatternTargets, _ v: Value) throws {
        switch p {
        case .one(let t, let s):
            try bind(t, v, s)
        case .tuple(let ps, let s):
            let items: [Value]
            switch v {
            case .tuple(let t): items = t.items
            case .list(let l): items = l.items
            default: throw StrideError(.type, "cannot destructure a \(v.typeName) into \(ps.count) names", span: s)
            }
            guard items.count == ps.count else {
                throw StrideError(
                    .value, "cannot destructure a tuple of \(items.count) into \(ps.count) names", span: s)
            }
            for (pp, vv) in zip(ps, items) { try bind(pp, vv) }
        }
    }
}

/// `let (a, b) = e`.
final class BindPatternNode: StmtNode {
    let pattern: PatternTargets
    let value: Node
    init(_ pattern: PatternTargets, _ value: Node, span: Span) {
        self.pattern = pattern
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        try f.bind(pattern, try value.eval(&f))
        return .normal
    }
}

/// `x = e`.
final class AssignNode: StmtNode {
    let target: AssignTarget
    let value: Node
    init(_ target: AssignTarget, _ value: Node, span: Span) {
        self.target = target
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        try f.assign(target, try value.eval(&f), span)
        return .normal
    }
}

/// `x op= e` on a name: Int and Float inline for locals and globals.
final class CompoundAssignNode: StmtNode {
    let op: BinaryOperator
    let target: AssignTarget
    let value: Node
    init(_ op: BinaryOperator, _ target: AssignTarget, _ value: Node, span: Span) {
        self.op = op
        self.target = target
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        let b = try value.eval(&f)
        switch target {
        case .local(let slot):
            if case .int(let x) = f.locals[slot], case .int(let y) = b, let r = op.ints(x, y) {
                f.locals[slot] = .int(r)
                return .normal
            }
            if case .float(let x) = f.locals[slot], case .float(let y) = b {
                f.locals[slot] = .float(op.floats(x, y))
                return .normal
            }
        case .global(let g) where g.mutable:
            if case .int(let x)? = g.value, case .int(let y) = b, let r = op.ints(x, y) {
                g.value = .int(r)
                return .normal
            }
            if case .float(let x)? = g.value, case .float(let y) = b {
                g.value = .float(op.floats(x, y))
                return .normal
            }
        default:
            break
        }
        let a = try f.read(target, span)
        try f.assign(target, try binary(op, a, b, span), span)
        return .normal
    }
}

/// `obj.name = e` and `obj.name op= e`.
final class MemberAssignNode: StmtNode {
    let object: Node
    let name: String
    let entries: MemberEntries
    let op: BinaryOperator?
    let value: Node
    init(object: Node, name: String, op: BinaryOperator?, value: Node, span: Span) {
        self.object = object
        self.name = name
        self.entries = MemberEntries(name)
        self.op = op
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        let obj = try object.eval(&f)
        var v = try value.eval(&f)
        let interp = f.interp
        if let op { v = try binary(op, try interp.member(obj, entries, span), v, span) }
        try interp.setMember(obj, name, v, span)
        return .normal
    }
}

/// `obj[items] = e` and `obj[items] op= e` (in place for tensors). Int indices into a tensor with a number
/// write the element directly: the indices are evaluated into stack memory and the storage index computed
/// there (no arrays are made); anything else takes the general path with the values already evaluated.
final class IndexAssignNode: StmtNode {
    let object: Node
    let items: [IndexNodeItem]
    let op: BinaryOperator?
    let value: Node
    /// The index expressions when every item is a single index and there is no compound operator.
    let singles: NodeList<Node>?

    init(object: Node, items: [IndexNodeItem], op: BinaryOperator?, value: Node, span: Span) {
        self.object = object
        self.items = items
        self.op = op
        self.value = value
        var singles: [Node] = []
        for case .single(let n) in items { singles.append(n) }
        self.singles = op == nil && singles.count == items.count && !items.isEmpty ? NodeList(singles) : nil
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        let obj = try object.eval(&f)
        if let singles, case .tensor(let t) = obj, singles.count == t.ndim {
            return try withUnsafeTemporaryAllocation(of: Value.self, capacity: singles.count) { buffer in
                guard let slots = buffer.baseAddress else { return try general(obj, &f) }
                var made = 0
                defer { slots.deinitialize(count: made) }
                for k in 0..<singles.count {
                    (slots + made).initialize(to: try singles.eval(k, &f))
                    made += 1
                }
                let v = try value.eval(&f)
                let x: Double
                switch v {
                case .int(let i): x = Double(i)
                case .float(let d): x = d
                default: return try assign(obj, UnsafeBufferPointer(start: slots, count: made), v, &f)
                }
                var p = t.offset
                for d in 0..<made {
                    guard case .int(let i0) = slots[d] else {
                        return try assign(obj, UnsafeBufferPointer(start: slots, count: made), v, &f)
                    }
                    let size = t.shape[d]
                    let i = i0 < 0 ? i0 &+ size : i0
                    guard i >= 0 && i < size else {
                        throw StrideError(
                            .index, "index \(i0) is out of bounds for dimension \(d) with size \(size)",
                            span: singles.nodes[d].span)
                    }
                    p &+= i &* t.strides[d]
                }
                try rt(span) { try t.setElement(storageIndex: p, x) }
                return .normal
            }
        }
        return try general(obj, &f)
    }

    /// The general path with the single indices and the value already evaluated.
    func assign(_ obj: Value, _ indices: UnsafeBufferPointer<Value>, _ v: Value, _ f: inout Frame) throws -> Flow {
        let values = zip(indices, singles?.nodes ?? []).map { IndexValue.single($0, $1.span) }
        try f.interp.setIndex(obj, values, op, v, span)
        return .normal
    }

    func general(_ obj: Value, _ f: inout Frame) throws -> Flow {
        var values: [IndexValue] = []
        values.reserveCapacity(items.count)
        for it in items { values.append(try it.eval(&f)) }
        let v = try value.eval(&f)
        try f.interp.setIndex(obj, values, op, v, span)
        return .normal
    }
}

/// `if … { } else if … { } else { }`.
final class IfNode: StmtNode {
    let clauses: [(Node, BlockNode)]
    let otherwise: BlockNode?
    init(clauses: [(Node, BlockNode)], otherwise: BlockNode?, span: Span) {
        self.clauses = clauses
        self.otherwise = otherwise
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        for (cond, body) in clauses where try truth(cond.eval(&f), cond.span, "if") {
            return try body.list.exec(&f)
        }
        return try otherwise?.exec(&f) ?? .normal
    }
}

/// `while cond { }` (the interrupt is checked on every iteration).
final class WhileNode: StmtNode {
    let cond: Node
    let body: BlockNode
    init(cond: Node, body: BlockNode, span: Span) {
        self.cond = cond
        self.body = body
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        let interp = f.interp
        while try truth(cond.eval(&f), cond.span, "while") {
            if f.stack.interrupted { throw interp.interrupted(span) }
            switch try body.list.exec(&f) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return .normal
    }
}

/// `for pattern in sequence { }`: ranges count with an Int directly; anything else through an iterator.
final class ForNode: StmtNode {
    let pattern: PatternTargets
    let sequence: Node
    let body: BlockNode
    init(pattern: PatternTargets, sequence: Node, body: BlockNode, span: Span) {
        self.pattern = pattern
        self.sequence = sequence
        self.body = body
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        let seq = try sequence.eval(&f)
        let interp = f.interp
        if case .range(let lo, let hi) = seq, case .one(.local(let slot), _) = pattern {
            var i = lo
            while i < hi {
                if f.stack.interrupted { throw interp.interrupted(span) }
                f.locals[slot] = .int(i)
                switch try body.list.exec(&f) {
                case .normal, .continueLoop: break
                case .breakLoop: return .normal
                case .returned: return .returned
                }
                i += 1
            }
            return .normal
        }
        let next = try iterator(seq, sequence.span)
        while let item = try rt(sequence.span, { try next() }) {
            if f.stack.interrupted { throw interp.interrupted(span) }
            try f.bind(pattern, item)
            switch try body.list.exec(&f) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return .normal
    }
}

/// `return e`.
final class ReturnNode: StmtNode {
    let value: Node?
    init(value: Node?, span: Span) {
        self.value = value
        super.init(span: span)
    }
    override func exec(_ f: inout Frame) throws -> Flow {
        f.returnValue = try value?.eval(&f) ?? .none
        return .returned
    }
}

final class BreakNode: StmtNode {
    override func exec(_ f: inout Frame) throws -> Flow { .breakLoop }
}

final class ContinueNode: StmtNode {
    override func exec(_ f: inout Frame) throws -> Flow { .continueLoop }
}
