/// The resolver: turns a parsed cell (AST) into the resolved program (evaluation nodes). Every name is
/// resolved once, here: a local becomes a frame slot, a local that a closure uses becomes a cell, a
/// variable of an enclosing function a capture, anything else a session global (or the builtin of that
/// name). Redeclarations, `return` outside a function and `break` outside a loop are found here too.
final class Resolver {
    let globals: GlobalTable

    /// One function being compiled: its frame layout and its block scopes.
    final class Context {
        let proto: FunctionProto
        let parent: Context?
        /// Block scopes, innermost last: name → binding.
        var scopes: [[String: Binding]] = [[:]]
        /// Names mentioned by functions nested anywhere inside this one: locals with these names are cells.
        let capturedNames: Set<String>
        /// Capture index of each enclosing binding this function uses.
        var captureIndex: [Int: Int] = [:]
        var loopDepth = 0
        /// A cell's top level: its outermost scope's declarations are session globals.
        var isCell: Bool { proto.kind == .cell }

        init(proto: FunctionProto, parent: Context?, capturedNames: Set<String>) {
            self.proto = proto
            self.parent = parent
            self.capturedNames = capturedNames
        }

        /// Whether this code runs inside a user layer (a layer body or one of its methods or their closures).
        var inLayer: Bool {
            var c: Context? = self
            while let x = c {
                if x.proto.kind == .layerBody { return true }
                c = x.parent
            }
            return false
        }
    }

    /// A declared local.
    struct Binding {
        let id: Int
        let location: Location
        let mutable: Bool
    }

    var nextBindingID = 0
    var context: Context

    init(globals: GlobalTable, cell: FunctionProto, program: Program) {
        self.globals = globals
        var names = Set<String>()
        for s in program.statements { Resolver.namesInNestedFunctions(s, into: &names, nested: false) }
        context = Context(proto: cell, parent: nil, capturedNames: names)
    }

    /// Compiles a cell: its statements, with the last expression (unless it ends with `;`) as the result.
    static func compileCell(_ program: Program, globals: GlobalTable, source: Int) throws -> FunctionProto {
        let proto = FunctionProto(name: "cell", kind: .cell, doc: nil, span: .unknown, signature: "")
        let r = Resolver(globals: globals, cell: proto, program: program)
        var nodes: [StmtNode] = []
        for (i, s) in program.statements.enumerated() {
            if i == program.statements.count - 1, !program.endsWithSemicolon, case .expr(let e, _) = s {
                nodes.append(CellResultNode(try r.expression(e)))
            } else {
                nodes.append(try r.statement(s))
            }
        }
        proto.body = BlockNode(statements: nodes, span: .unknown)
        proto.localCount = r.context.proto.localCount
        return proto
    }

    // MARK: Scopes

    /// Declares `name` in the innermost scope of the current function.
    func declare(_ name: String, mutable: Bool, span: Span, forceCell: Bool = false) throws -> BindTarget {
        if name == "_" { return .discard }
        let c = context
        if c.isCell && c.scopes.count == 1 {
            return .global(globals.cell(name), mutable: mutable, name: name)
        }
        if c.scopes[c.scopes.count - 1][name] != nil {
            throw StrideError(.name, "invalid redeclaration of '\(name)' in the same scope", span: span)
        }
        nextBindingID += 1
        let b: Binding
        if forceCell || c.capturedNames.contains(name) {
            b = Binding(id: nextBindingID, location: .cell(c.proto.cellCount), mutable: mutable)
            c.proto.cellCount += 1
        } else {
            b = Binding(id: nextBindingID, location: .local(c.proto.localCount), mutable: mutable)
            c.proto.localCount += 1
        }
        c.scopes[c.scopes.count - 1][name] = b
        if c.scopes.count == 1 { c.proto.topLevel.append((name, b.location, false)) }
        switch b.location {
        case .cell(let i): return .cell(i, mutable: mutable)
        case .local(let i): return .local(i)
        default: return .discard
        }
    }

    func withScope<T>(_ body: () throws -> T) rethrows -> T {
        context.scopes.append([:])
        defer { context.scopes.removeLast() }
        return try body()
    }

    /// Where `name` lives from the current function, and whether it may be assigned.
    func lookup(_ name: String, _ span: Span) throws -> (Location, mutable: Bool)? {
        if let b = find(name, in: context) { return (b.location, b.mutable) }
        var outer = context.parent
        var path: [Context] = [context]
        while let o = outer {
            if let b = find(name, in: o) {
                guard case .cell(let cellIndex) = b.location else {
                    throw StrideError(.name, "internal: '\(name)' is captured but was not made a cell", span: span)
                }
                // each function between the declaring one and this one captures it in turn
                var source = CaptureSource.frameCell(cellIndex)
                for c in path.reversed() {
                    if let k = c.captureIndex[b.id] {
                        source = .capture(k)
                        continue
                    }
                    let k = c.proto.captures.count
                    c.proto.captures.append(source)
                    c.captureIndex[b.id] = k
                    source = .capture(k)
                }
                guard case .capture(let k) = source else { return nil }
                return (.capture(k), b.mutable)
            }
            path.append(o)
            outer = o.parent
        }
        return nil
    }

    private func find(_ name: String, in c: Context) -> Binding? {
        for scope in c.scopes.reversed() {
            if let b = scope[name] { return b }
        }
        return nil
    }

    /// Compiles a nested function (func, closure, op, method, layer body) in a new context.
    func function(
        name: String, kind: FunctionKind, params: [Parameter], body: [Stmt], span: Span, doc: String?,
        signature: String,
        singleExpressionValue: Bool = false
    ) throws -> FunctionProto {
        let proto = FunctionProto(name: name, kind: kind, doc: doc, span: span, signature: signature)
        guard params.count <= 64 else { throw StrideError(.syntax, "\(name) has more than 64 parameters", span: span) }
        var names = Set<String>()
        for s in body { Resolver.namesInNestedFunctions(s, into: &names, nested: false) }
        for p in params { if let d = p.defaultValue { Resolver.names(in: d, into: &names, nested: false) } }
        let saved = context
        context = Context(proto: proto, parent: saved, capturedNames: names)
        defer { context = saved }
        // parameters take the first slots (cells get theirs after the arguments arrive)
        var slots: [ParameterSlot] = []
        for (i, p) in params.enumerated() {
            context.scopes[0][p.name] = nil
            nextBindingID += 1
            let loc: Location
            if kind == .layerBody || names.contains(p.name) {
                loc = .cell(proto.cellCount)
                proto.cellCount += 1
            } else {
                loc = .local(i)
            }
            context.scopes[0][p.name] = Binding(id: nextBindingID, location: loc, mutable: false)
            slots.append(ParameterSlot(name: p.name, location: loc, defaultValue: nil, span: p.span))
        }
        proto.localCount = params.count
        // defaults are evaluated in the new frame, before the body
        for (i, p) in params.enumerated() {
            if let d = p.defaultValue {
                slots[i] = ParameterSlot(
                    name: p.name, location: slots[i].location, defaultValue: try expression(d), span: p.span)
            }
        }
        proto.params = slots
        var nodes: [StmtNode] = []
        if singleExpressionValue, body.count == 1, case .expr(let e, let s) = body[0] {
            nodes = [ReturnNode(value: try expression(e), span: s)]
        } else {
            for s in body { nodes.append(try statement(s)) }
        }
        proto.body = BlockNode(statements: nodes, span: span)
        proto.isSimple = proto.cellCount == 0 && (kind == .function || kind == .closure || kind == .method)
        return proto
    }
}
