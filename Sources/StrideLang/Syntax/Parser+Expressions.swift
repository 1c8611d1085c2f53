extension Parser {
    // MARK: Expressions (loosest first)

    mutating func expression() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        return try ternary()
    }

    /// `cond ? a : b`, loosest of all and right-associative.
    mutating func ternary() throws -> Expr {
        let cond = try orExpr()
        guard isOp("?") else { return cond }
        _ = advance()
        let a = try expression()
        _ = try expectOp(":", "between the two branches of ?:")
        let b = try expression()
        return .ternary(cond, a, b, cond.span.to(b.span))
    }

    mutating func orExpr() throws -> Expr {
        var l = try andExpr()
        while isOp("||") {
            _ = advance()
            let r = try andExpr()
            l = .binary(.or, l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func andExpr() throws -> Expr {
        var l = try comparison()
        while isOp("&&") {
            _ = advance()
            let r = try comparison()
            l = .binary(.and, l, r, l.span.to(r.span))
        }
        return l
    }

    static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]

    /// The operator a token spells.
    func binaryOperator(_ o: String) throws -> BinaryOperator {
        guard let op = BinaryOperator(rawValue: o) else { throw error("unknown operator '\(o)'") }
        return op
    }

    mutating func comparison() throws -> Expr {
        let l = try rangeExpr()
        if case .op(let o) = peek.kind, Self.comparisons.contains(o) {
            _ = advance()
            let r = try rangeExpr()
            if case .op(let o2) = peek.kind, Self.comparisons.contains(o2) {
                throw error("comparison operators cannot be chained (a \(o) b \(o2) c); combine them with &&")
            }
            return .binary(try binaryOperator(o), l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func rangeExpr() throws -> Expr {
        let l = try additive()
        if isOp("..<") || isOp("...") {
            let closed = isOp("...")
            _ = advance()
            let r = try additive()
            return .range(l, r, closed: closed, l.span.to(r.span))
        }
        return l
    }

    mutating func additive() throws -> Expr {
        var l = try multiplicative()
        while case .op(let o) = peek.kind, o == "+" || o == "-" {
            _ = advance()
            let r = try multiplicative()
            l = .binary(try binaryOperator(o), l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func multiplicative() throws -> Expr {
        var l = try prefix()
        while case .op(let o) = peek.kind, ["*", "/", "%", "@"].contains(o) {
            _ = advance()
            let r = try prefix()
            l = .binary(try binaryOperator(o), l, r, l.span.to(r.span))
        }
        return l
    }

    /// `-x`, `!x`; binds looser than `**` (`-2 ** 2` is −4, as in Python).
    mutating func prefix() throws -> Expr {
        if case .op(let o) = peek.kind, o == "-" || o == "!" {
            let t = advance()
            try enter()
            defer { depth -= 1 }
            let e = try prefix()
            return .unary(o == "-" ? .negate : .not, e, t.span.to(e.span))
        }
        return try power()
    }

    /// `a ** b`, right-associative; the exponent may carry a sign (`2 ** -1`).
    mutating func power() throws -> Expr {
        let base = try postfix()
        guard isOp("**") else { return base }
        _ = advance()
        try enter()
        defer { depth -= 1 }
        let exponent = try prefix()
        return .binary(.pow, base, exponent, base.span.to(exponent.span))
    }

    mutating func postfix() throws -> Expr {
        var e = try primary()
        while true {
            if isOp("(") {
                _ = advance()
                try enter()
                defer { depth -= 1 }
                var args: [CallArgument] = []
                var sawLabel = false
                while !isOp(")") {
                    if case .identifier(let n) = peek.kind, isOp(":", at: 1) {
                        let lt = advance()
                        _ = advance()
                        args.append(CallArgument(label: n, value: try expression(), labelSpan: lt.span))
                        sawLabel = true
                    } else {
                        let v = try expression()
                        if sawLabel {
                            throw StrideError(
                                .syntax, "positional argument after a labelled one; positional arguments come first",
                                span: v.span)
                        }
                        args.append(CallArgument(label: nil, value: v, labelSpan: nil))
                    }
                    if isOp(",") { _ = advance() } else { break }
                }
                let close = try expectOp(")", "to close the argument list")
                e = .call(e, args, e.span.to(close.span))
            } else if isOp(".") {
                _ = advance()
                let t = peek
                switch t.kind {
                case .identifier(let n), .keyword(let n):
                    // after `.` a keyword is a member name, as in Swift (`x.var()`, `d.in`)
                    _ = advance()
                    e = .member(e, n, e.span.to(t.span))
                case .int(let k):
                    _ = advance()
                    e = .member(e, String(k), e.span.to(t.span))
                case .float:
                    // `pair.0.1` lexes as a float
                    throw error("write (t.0).1 to index nested tuples")
                default:
                    throw error("expected a member name after '.', found \(describe(t))")
                }
            } else if isOp("[") {
                _ = advance()
                try enter()
                defer { depth -= 1 }
                var items: [IndexExpr] = []
                while !isOp("]") {
                    items.append(try indexItem())
                    if isOp(",") { _ = advance() } else { break }
                }
                let close = try expectOp("]", "to close the index")
                if items.isEmpty { throw error("empty index []", at: close) }
                e = .index(e, items, e.span.to(close.span))
            } else {
                return e
            }
        }
    }

    mutating func indexItem() throws -> IndexExpr {
        if isOp("...") {
            _ = advance()
            return .ellipsis
        }
        if isKeyword("nil"), isOp(",", at: 1) || isOp("]", at: 1) {
            _ = advance()
            return .newAxis
        }
        var a: Expr? = nil
        var b: Expr? = nil
        var c: Expr? = nil
        if !isOp(":") { a = try expression() }
        guard isOp(":") else {
            guard let a else { throw error("expected an index") }
            return .single(a)
        }
        _ = advance()
        if !isOp(":") && !isOp(",") && !isOp("]") { b = try expression() }
        if isOp(":") {
            _ = advance()
            if !isOp(",") && !isOp("]") { c = try expression() }
        }
        return .slice(a, b, c)
    }

    mutating func primary() throws -> Expr {
        let t = peek
        switch t.kind {
        case .int(let v):
            _ = advance()
            return .int(v, t.span)
        case .float(let v):
            _ = advance()
            return .float(v, t.span)
        case .string(let parts):
            _ = advance()
            let ps = try parts.map { p -> InterpolationPart in
                switch p {
                case .text(let s): return .text(s)
                case .code(let c, let off, let l, let col):
                    return .expr(try Parser.parseExpression(c, source: source, offset: off, line: l, column: col))
                }
            }
            return .string(ps, t.span)
        case .keyword("true"):
            _ = advance()
            return .bool(true, t.span)
        case .keyword("false"):
            _ = advance()
            return .bool(false, t.span)
        case .keyword("nil"):
            _ = advance()
            return .nilLiteral(t.span)
        case .identifier(let n):
            _ = advance()
            return .name(n, t.span)
        case .op("("):
            _ = advance()
            try enter()
            defer { depth -= 1 }
            if isOp(")") {
                let c = advance()
                return .tuple([], t.span.to(c.span))
            }
            let first = try expression()
            if isOp(")") {
                _ = advance()
                return first
            }
            var items = [first]
            while isOp(",") {
                _ = advance()
                if isOp(")") { break }
                items.append(try expression())
            }
            let close = try expectOp(")", "to close the parenthesis")
            return .tuple(items, t.span.to(close.span))
        case .op("["):
            return try listOrDictionary()
        case .op("{"):
            return try closure()
        case .op("."):
            if case .int = peekAt(1).kind { throw error("a number cannot start with '.'; write 0.5, not .5") }
            throw error("unexpected '.'")
        case .keyword(let k):
            throw error("unexpected keyword '\(k)' where an expression was expected")
        case .newline, .eof:
            throw error("expected an expression, found \(describe(t))")
        case .op(let o):
            throw error("unexpected '\(o)' where an expression was expected")
        }
    }

    /// `[a, b]`, `["k": v, …]` or `[:]`.
    mutating func listOrDictionary() throws -> Expr {
        let open = advance()
        try enter()
        defer { depth -= 1 }
        if isOp(":"), isOp("]", at: 1) {
            _ = advance()
            let close = advance()
            return .dict([], open.span.to(close.span))
        }
        if isOp("]") {
            let close = advance()
            return .list([], open.span.to(close.span))
        }
        let first = try expression()
        if isOp(":") {
            _ = advance()
            var pairs = [(key: first, value: try expression())]
            while isOp(",") {
                _ = advance()
                if isOp("]") { break }
                let k = try expression()
                _ = try expectOp(":", "between a dictionary key and its value")
                pairs.append((k, try expression()))
            }
            let close = try expectOp("]", "to close the dictionary")
            return .dict(pairs, open.span.to(close.span))
        }
        var items = [first]
        while isOp(",") {
            _ = advance()
            if isOp("]") { break }
            items.append(try expression())
        }
        let close = try expectOp("]", "to close the list")
        return .list(items, open.span.to(close.span))
    }

    /// `{ x in x * 2 }`, `{ (a, b) in a + b }`, `{ print("tick") }`.
    mutating func closure() throws -> Expr {
        let open = advance()
        try enter()
        defer { depth -= 1 }
        var params: [Parameter] = []
        // parameters: `a, b in` or `(a, b) in` before the body
        var k = 0
        while isNewline(peekAt(k)) { k += 1 }
        var names: [Token] = []
        var j = k
        var parenthesised = false
        if isOp("(", at: j) {
            parenthesised = true
            j += 1
        }
        var ok = true
        while case .identifier = peekAt(j).kind {
            names.append(peekAt(j))
            j += 1
            if isOp(",", at: j) { j += 1 } else { break }
        }
        if parenthesised {
            if isOp(")", at: j) { j += 1 } else { ok = false }
        }
        if ok, case .keyword("in") = peekAt(j).kind, !names.isEmpty || parenthesised {
            for n in names {
                guard case .identifier(let name) = n.kind else { continue }
                if params.contains(where: { $0.name == name }) { throw error("duplicate parameter '\(name)'", at: n) }
                params.append(Parameter(name: name, defaultValue: nil, span: n.span))
            }
            pos += j + 1
        }
        let body = try statementsUntilBrace("of the closure")
        let span = open.span.to(tokens[Swift.max(pos - 1, 0)].span)
        return .closure(FunctionDecl(name: "closure", kind: .closure, params: params, body: body, span: span, doc: nil))
    }
}
