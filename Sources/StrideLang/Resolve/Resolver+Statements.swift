extension Resolver {
    func block(_ stmts: [Stmt], span: Span) throws -> BlockNode {
        try withScope { BlockNode(statements: try stmts.map { try statement($0) }, span: span) }
    }

    func statement(_ s: Stmt) throws -> StmtNode {
        switch s {
        case .expr(let e, _):
            return ExprStmtNode(try expression(e))
        case .binding(let isVar, let pattern, let e, let span):
            let value = try expression(e)  // the value is resolved before the new names exist
            if case .name(let n, let ns) = pattern {
                return BindNode(try declare(n, mutable: isVar, span: ns, forceCell: forceCell), value, span: span)
            }
            return BindPatternNode(try patternTargets(pattern, mutable: isVar), value, span: span)
        case .assign(let target, let op, let e, let span):
            return try assignment(target, op, e, span)
        case .funcDecl(let d):
            let target = try declare(d.name, mutable: false, span: d.span, forceCell: forceCell)
            markTopLevelFunction()
            if context.proto.kind == .layerBody && context.scopes.count == 1 {
                context.proto.methodSignatures.append((d.name, d.signature, d.doc))
            }
            let kind: FunctionKind = d.kind == .op ? .op : (context.proto.kind == .layerBody ? .method : .function)
            let displayName = kind == .method ? "\(context.proto.name).\(d.name)" : d.name
            let proto = try function(
                name: displayName, kind: kind, params: d.params, body: d.body, span: d.span, doc: d.doc,
                signature: d.signature)
            return FunctionBindNode(target, ClosureNode(proto: proto, span: d.span), span: d.span)
        case .layerDecl(let d):
            guard
                d.body.contains(where: {
                    if case .funcDecl(let f) = $0 { f.name == "forward" && f.kind == .function } else { false }
                })
            else {
                throw StrideError(.syntax, "layer \(d.name) needs a method `func forward(x) { … }`", span: d.span)
            }
            let target = try declare(d.name, mutable: false, span: d.span, forceCell: forceCell)
            let proto = try function(
                name: d.name, kind: .layerBody, params: d.params, body: d.body, span: d.span, doc: d.doc,
                signature: d.signature)
            let node = LayerTypeNode(proto: proto, name: d.name, doc: d.doc, signature: d.signature, span: d.span)
            return BindNode(target, node, span: d.span)
        case .ifStmt(let clauses, let otherwise, let span):
            if clauses.count == 1, otherwise == nil {
                return IfThenNode(
                    cond: try expression(clauses[0].0), body: try block(clauses[0].1, span: span), span: span)
            }
            return IfNode(
                clauses: try clauses.map { (try expression($0.0), try block($0.1, span: $0.0.span)) },
                otherwise: try otherwise.map { try block($0, span: span) }, span: span)
        case .whileStmt(let cond, let body, let span):
            context.loopDepth += 1
            defer { context.loopDepth -= 1 }
            return WhileNode(cond: try expression(cond), body: try block(body, span: span), span: span)
        case .forStmt(let pattern, let seq, let body, let span):
            let sequence = try expression(seq)
            context.loopDepth += 1
            defer { context.loopDepth -= 1 }
            return try withScope {
                let targets = try patternTargets(pattern, mutable: false)
                let bodyNode = try block(body, span: span)
                return ForNode(pattern: targets, sequence: sequence, body: bodyNode, span: span)
            }
        case .returnStmt(let e, let span):
            guard !context.isCell || context.parent != nil else {
                throw StrideError(.syntax, "'return' outside a function", span: span)
            }
            if let e { return ReturnValueNode(value: try expression(e), span: span) }
            return ReturnNode(value: nil, span: span)
        case .breakStmt(let span):
            guard context.loopDepth > 0 else { throw StrideError(.syntax, "'break' outside a loop", span: span) }
            return BreakNode(span: span)
        case .continueStmt(let span):
            guard context.loopDepth > 0 else { throw StrideError(.syntax, "'continue' outside a loop", span: span) }
            return ContinueNode(span: span)
        case .magic(let name, let raw, let inner, let span):
            guard let magic = Magics.table[name] else {
                throw StrideError(.syntax, "unknown magic \(name); available: \(Magics.names)", span: span)
            }
            return MagicNode(magic: magic, argument: raw, inner: try inner.map { try statement($0) }, span: span)
        }
    }

    /// A layer body's top-level declarations are its fields: always cells, so methods share them.
    var forceCell: Bool { context.proto.kind == .layerBody && context.scopes.count == 1 }

    func markTopLevelFunction() {
        guard context.scopes.count == 1, !context.proto.topLevel.isEmpty else { return }
        let last = context.proto.topLevel.removeLast()
        context.proto.topLevel.append((last.name, last.location, true))
    }

    func patternTargets(_ p: Pattern, mutable: Bool) throws -> PatternTargets {
        switch p {
        case .name(let n, let s):
            return .one(try declare(n, mutable: mutable, span: s, forceCell: forceCell), s)
        case .tuple(let ps, let s):
            return .tuple(try ps.map { try patternTargets($0, mutable: mutable) }, s)
        }
    }

    /// Where an assignment to `name` goes, checking that it may be assigned.
    func assignTarget(_ name: String, _ span: Span) throws -> AssignTarget {
        if let (loc, mutable) = try lookup(name, span) {
            switch loc {
            case .local(let i):
                guard mutable else { throw constantError(name, span) }
                return .local(i)
            case .cell(let i):
                guard mutable else { throw constantError(name, span) }
                return .cell(i)
            case .capture(let i):
                guard mutable else { throw constantError(name, span) }
                return .capture(i)
            case .global(let g):
                return .global(g)
            }
        }
        return .global(globals.cell(name))
    }

    func constantError(_ name: String, _ span: Span) -> StrideError {
        StrideError(
            .type, "cannot assign to value: '\(name)' is a 'let' constant; declare it with var to change it", span: span
        )
    }

    func assignment(_ target: Expr, _ op: BinaryOperator?, _ e: Expr, _ span: Span) throws -> StmtNode {
        let value = try expression(e)
        switch target {
        case .name(let n, let s):
            let t = try assignTarget(n, s)
            guard let op else { return AssignNode(t, value, span: span) }
            return CompoundAssignNode(op, t, value, span: span)
        case .member(let obj, let name, _):
            return MemberAssignNode(object: try expression(obj), name: name, op: op, value: value, span: span)
        case .index(let obj, let items, _):
            return IndexAssignNode(
                object: try expression(obj), items: try items.map(indexItem), op: op, value: value, span: span)
        default:
            throw StrideError(.syntax, "cannot assign to this expression", span: span)
        }
    }
}

/// `func f(…) { … }` binds a new function; for a captured name the cell exists before the closure is made,
/// so a local function can call itself.
final class FunctionBindNode: StmtNode {
    let target: BindTarget
    let closure: ClosureNode

    init(_ target: BindTarget, _ closure: ClosureNode, span: Span) {
        self.target = target
        self.closure = closure
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        if case .cell(let c, _) = target, let cells = f.cells {
            cells[c] = Cell(.none, mutable: false)
            cells[c].value = try closure.eval(&f)
            return .normal
        }
        try f.bind(target, try closure.eval(&f), span)
        return .normal
    }
}
