import Foundation

extension Parser {
    mutating func statement() throws -> Stmt {
        let start = peek
        switch start.kind {
        case .keyword("let"), .keyword("var"):
            _ = advance()
            let pat = try pattern()
            let kw = start.kind == .keyword("let") ? "let" : "var"
            _ = try expectOp("=", "after the name in a \(kw) binding")
            let value = try expression()
            return .binding(isVar: kw == "var", pat, value, start.span.to(value.span))
        case .keyword("func"):
            return .funcDecl(try functionDecl(kind: .function))
        case .identifier("op") where isDeclarationAhead:
            return .funcDecl(try functionDecl(kind: .op))
        case .identifier("layer") where isDeclarationAhead:
            return .layerDecl(try layerDecl())
        case .keyword("if"):
            return try ifStatement()
        case .keyword("while"):
            _ = advance()
            let cond = try expression()
            let body = try block("after while condition")
            return .whileStmt(cond, body, start.span.to(cond.span))
        case .keyword("for"):
            _ = advance()
            let pat = try pattern()
            guard isKeyword("in") else { throw error("expected 'in' after the loop variable, found \(describe(peek))") }
            _ = advance()
            let seq = try expression()
            let body = try block("after for … in …")
            return .forStmt(pat, seq, body, start.span.to(seq.span))
        case .keyword("return"):
            _ = advance()
            if isNewline(peek) || isEnd(peek) || isOp(";") || isOp("}") { return .returnStmt(nil, start.span) }
            let v = try expression()
            return .returnStmt(v, start.span.to(v.span))
        case .keyword("break"):
            _ = advance()
            return .breakStmt(start.span)
        case .keyword("continue"):
            _ = advance()
            return .continueStmt(start.span)
        case .keyword("else"):
            throw error("'else' without a matching 'if'")
        case .identifier(let n) where n.hasPrefix("%"):
            return try magic(n, start)
        default:
            let target = try expression()
            if case .op(let o) = peek.kind, ["=", "+=", "-=", "*=", "/=", "%="].contains(o) {
                let opTok = advance()
                switch target {
                case .name, .member, .index: break
                default:
                    throw error(
                        "cannot assign to this expression; assign to a name, a member (m.weight) or an element (x[0])",
                        at: opTok)
                }
                let value = try expression()
                let compound = o == "=" ? nil : try binaryOperator(String(o.dropLast()))
                return .assign(target, compound, value, target.span.to(value.span))
            }
            return .expr(target, target.span)
        }
    }

    /// `layer Name(` / `op name(`: the contextual keyword starts a declaration.
    var isDeclarationAhead: Bool {
        if case .identifier = peekAt(1).kind, isOp("(", at: 2) { return true }
        return false
    }

    mutating func magic(_ n: String, _ start: Token) throws -> Stmt {
        guard blockDepth == 0 else {
            throw error(
                "\(n) is a magic: magics run only at a cell's top level, not inside a function, loop, closure or block",
                at: start)
        }
        guard let entry = Magics.table[n] else {
            throw error("unknown magic \(n); available: \(Magics.names)", at: start)
        }
        _ = advance()
        let lineText = start.span.line - 1 < lines.count ? String(lines[start.span.line - 1]) : ""
        let scalars = lineText.unicodeScalars
        let skip = start.span.column - 1 + n.unicodeScalars.count
        let raw =
            scalars.count >= skip
            ? String(String.UnicodeScalarView(scalars.dropFirst(skip))).trimmingCharacters(in: .whitespaces) : ""
        var inner: Stmt? = nil
        if entry.takesStatement {
            if isNewline(peek) || isEnd(peek) { throw error("\(n) needs a statement to time, e.g. \(n) conv(x)") }
            inner = try statement()
        } else {
            while !isNewline(peek) && !isEnd(peek) { _ = advance() }
        }
        return .magic(n, raw, inner, start.span)
    }

    mutating func pattern() throws -> Pattern {
        let t = peek
        if case .identifier(let n) = t.kind {
            _ = advance()
            return .name(n, t.span)
        }
        if isOp("(") {
            _ = advance()
            var items: [Pattern] = []
            while !isOp(")") {
                items.append(try pattern())
                if isOp(",") { _ = advance() } else { break }
            }
            let close = try expectOp(")", "to close the tuple pattern")
            return .tuple(items, t.span.to(close.span))
        }
        if case .keyword(let k) = t.kind { throw error("'\(k)' is a keyword and cannot be used as a name") }
        throw error("expected a name, found \(describe(t))")
    }

    /// `(a, b, stride: 1)`: required parameters first, then `name: default` ones.
    mutating func parameterList(_ what: String) throws -> [Parameter] {
        _ = try expectOp("(", "after the \(what) name")
        var params: [Parameter] = []
        var sawDefault = false
        while !isOp(")") {
            let t = peek
            guard case .identifier(let pn) = t.kind else {
                throw error("expected a parameter name, found \(describe(t))")
            }
            _ = advance()
            var def: Expr? = nil
            if isOp(":") {
                _ = advance()
                def = try expression()
                sawDefault = true
            } else if sawDefault {
                throw error(
                    "parameter '\(pn)' without a default follows a labelled parameter; labelled `name: default` parameters come last",
                    at: t)
            }
            if params.contains(where: { $0.name == pn }) { throw error("duplicate parameter '\(pn)'", at: t) }
            params.append(Parameter(name: pn, defaultValue: def, span: t.span, defaultText: def.flatMap(sourceText)))
            if isOp(",") { _ = advance() } else { break }
        }
        _ = try expectOp(")", "to close the parameter list")
        return params
    }

    /// The text of a one-line expression as written, from the cell's lines.
    func sourceText(_ e: Expr) -> String? {
        let s = e.span
        guard s.line >= 1 && s.line <= lines.count else { return nil }
        let scalars = Array(lines[s.line - 1].unicodeScalars)
        let from = s.column - 1
        let to = from + (s.end - s.start)
        guard from >= 0 && to <= scalars.count && to > from else { return nil }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[from..<to])
        return String(out)
    }

    /// `func name(…) { … }` or `op name(…) { … }`.
    mutating func functionDecl(kind: FunctionKind) throws -> FunctionDecl {
        let start = advance()
        let what = kind == .op ? "op" : "func"
        guard case .identifier(let name) = peek.kind else {
            throw error("expected a name after '\(what)', found \(describe(peek))")
        }
        _ = advance()
        let params = try parameterList(what == "op" ? "op" : "function")
        skipNewlines()
        let brace = peek
        let body = try block("of \(what == "op" ? "op" : "function") \(name)")
        let doc = docComment(above: start.span.line) ?? docComment(openingBodyAt: brace.span.line)
        return FunctionDecl(name: name, kind: kind, params: params, body: body, span: start.span, doc: doc)
    }

    /// `layer Name(…) { … }`.
    mutating func layerDecl() throws -> LayerDecl {
        let start = advance()
        guard case .identifier(let name) = peek.kind else {
            throw error("expected a layer name after 'layer', found \(describe(peek))")
        }
        _ = advance()
        let params = try parameterList("layer")
        skipNewlines()
        let brace = peek
        let body = try block("of layer \(name)")
        let doc = docComment(openingBodyAt: brace.span.line) ?? docComment(above: start.span.line)
        return LayerDecl(name: name, params: params, body: body, span: start.span, doc: doc)
    }

    mutating func ifStatement() throws -> Stmt {
        let start = advance()
        var clauses: [(Expr, [Stmt])] = []
        let cond = try expression()
        clauses.append((cond, try block("after if condition")))
        var elseBody: [Stmt]? = nil
        while true {
            // `else` may follow on the same line as `}` or the next line
            let save = pos
            skipNewlines()
            guard isKeyword("else") else {
                pos = save
                break
            }
            _ = advance()
            if isKeyword("if") {
                _ = advance()
                let c = try expression()
                clauses.append((c, try block("after else if condition")))
            } else {
                elseBody = try block("after else")
                break
            }
        }
        return .ifStmt(clauses, elseBody, start.span.to(cond.span))
    }
}
