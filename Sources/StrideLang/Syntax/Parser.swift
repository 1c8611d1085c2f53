import Foundation
/// Recursive-descent parser over the precedence table of the language contract (§3).
/// Nesting deeper than `maxDepth` is a SyntaxError, never a stack overflow.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    var depth = 0
    let source: Int
    let lines: [Substring]
    public static let maxDepth = 200

    /// Parses a whole cell.
    public static func parse(_ text: String, source: Int = 0) throws -> Program {
        var lx = Lexer(text, source: source)
        var p = Parser(tokens: try lx.tokenize(), source: source, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        return try p.program()
    }

    /// Parses one expression (string interpolation pieces).
    static func parseExpression(_ text: String, source: Int, offset: Int, line: Int, column: Int) throws -> Expr {
        var lx = Lexer(text, source: source, offset: offset, line: line, column: column)
        var p = Parser(tokens: try lx.tokenize(), source: source, lines: [])
        p.skipNewlines()
        let e = try p.expression()
        p.skipNewlines()
        guard case .eof = p.peek.kind else { throw p.error("unexpected \(p.describe(p.peek)) in interpolation") }
        return e
    }

    init(tokens: [Token], source: Int, lines: [Substring]) { self.tokens = tokens; self.source = source; self.lines = lines }

    // MARK: Token helpers
    var peek: Token { tokens[pos] }
    func peekAt(_ k: Int) -> Token { tokens[Swift.min(pos + k, tokens.count - 1)] }
    mutating func advance() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }
    func isOp(_ s: String) -> Bool { if case .op(let o) = peek.kind { return o == s }; return false }
    func isKeyword(_ s: String) -> Bool { if case .keyword(let k) = peek.kind { return k == s }; return false }
    mutating func skipNewlines() { while case .newline = peek.kind { _ = advance() } }
    mutating func expectOp(_ s: String, _ context: String) throws -> Token {
        guard isOp(s) else { throw error("expected '\(s)' \(context), found \(describe(peek))") }
        return advance()
    }
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .int(let v): return "number \(v)"
        case .float(let v): return "number \(v)"
        case .string: return "a string"
        case .identifier(let n): return "'\(n)'"
        case .keyword(let k): return "keyword '\(k)'"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }
    func error(_ msg: String, at t: Token? = nil) -> StrideError { StrideError(.syntax, msg, span: (t ?? peek).span) }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw error("expression nested too deeply (more than \(Self.maxDepth) levels)") }
    }

    // MARK: Statements
    mutating func program() throws -> Program {
        var stmts: [Stmt] = []
        var semi = false
        while true {
            while case .newline = peek.kind { _ = advance(); semi = false }
            while isOp(";") { _ = advance(); semi = true }
            if case .newline = peek.kind { continue }
            if case .eof = peek.kind { break }
            stmts.append(try statement())
            semi = false
            if isOp(";") { continue }
            switch peek.kind {
            case .newline, .eof: continue
            default:
                if isOp("}") { throw error("unexpected '}': no block is open here") }
                throw error("expected end of line or ';' after statement, found \(describe(peek))")
            }
        }
        return Program(statements: stmts, endsWithSemicolon: semi)
    }

    mutating func block(_ context: String) throws -> [Stmt] {
        try enter(); defer { depth -= 1 }
        skipNewlines()
        _ = try expectOp("{", context)
        var stmts: [Stmt] = []
        while true {
            while true { if case .newline = peek.kind { _ = advance() } else if isOp(";") { _ = advance() } else { break } }
            if isOp("}") { _ = advance(); return stmts }
            if case .eof = peek.kind { throw error("expected '}' to close the block \(context)") }
            stmts.append(try statement())
            if isOp(";") || isOp("}") { continue }
            if case .newline = peek.kind { continue }
            throw error("expected end of line or ';' after statement, found \(describe(peek))")
        }
    }

    mutating func statement() throws -> Stmt {
        let start = peek
        switch start.kind {
        case .keyword("let"), .keyword("var"):
            _ = advance()
            let pat = try pattern()
            _ = try expectOp("=", "after the name in a \(start.kind == .keyword("let") ? "let" : "var") binding")
            let value = try expression()
            return .binding(isVar: start.kind == .keyword("var"), pat, value, start.span.to(value.span))
        case .keyword("func"): return .funcDecl(try funcDecl())
        case .keyword("if"): return try ifStatement()
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
            if case .newline = peek.kind { return .returnStmt(nil, start.span) }
            if case .eof = peek.kind { return .returnStmt(nil, start.span) }
            if isOp(";") || isOp("}") { return .returnStmt(nil, start.span) }
            let v = try expression()
            return .returnStmt(v, start.span.to(v.span))
        case .keyword("break"): _ = advance(); return .breakStmt(start.span)
        case .keyword("continue"): _ = advance(); return .continueStmt(start.span)
        case .keyword("else"): throw error("'else' without a matching 'if'")
        case .identifier(let n) where n.hasPrefix("%"):
            _ = advance()
            let lineText = start.span.line - 1 < lines.count ? String(lines[start.span.line - 1]) : ""
            let raw = lineText.unicodeScalars.count >= start.span.column - 1 + n.unicodeScalars.count
                ? String(String.UnicodeScalarView(lineText.unicodeScalars.dropFirst(start.span.column - 1 + n.unicodeScalars.count))).trimmingCharacters(in: .whitespaces) : ""
            var inner: Stmt? = nil
            if n == "%time" || n == "%timeit" {
                if case .newline = peek.kind { throw error("\(n) needs a statement to time, e.g. \(n) conv(x)") }
                if case .eof = peek.kind { throw error("\(n) needs a statement to time, e.g. \(n) conv(x)") }
                inner = try statement()
            } else {
                while true { if case .newline = peek.kind { break }; if case .eof = peek.kind { break }; _ = advance() }
            }
            return .magic(n, raw, inner, start.span)
        default:
            let target = try expression()
            if case .op(let o) = peek.kind, ["=", "+=", "-=", "*=", "/="].contains(o) {
                let opTok = advance()
                switch target {
                case .name, .member, .index: break
                default: throw error("cannot assign to this expression; assign to a name, a member (m.weight) or an element (x[0])", at: opTok)
                }
                let value = try expression()
                return .assign(target, o == "=" ? nil : String(o.dropLast()), value, target.span.to(value.span))
            }
            return .expr(target, target.span)
        }
    }

    mutating func pattern() throws -> Pattern {
        let t = peek
        if case .identifier(let n) = t.kind { _ = advance(); return .name(n, t.span) }
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

    mutating func funcDecl() throws -> FunctionDecl {
        let start = advance()
        guard case .identifier(let name) = peek.kind else { throw error("expected a function name after 'func', found \(describe(peek))") }
        _ = advance()
        _ = try expectOp("(", "after the function name")
        var params: [Parameter] = []
        var sawDefault = false
        while !isOp(")") {
            let t = peek
            guard case .identifier(let pn) = t.kind else { throw error("expected a parameter name, found \(describe(t))") }
            _ = advance()
            var def: Expr? = nil
            if isOp(":") { _ = advance(); def = try expression(); sawDefault = true }
            else if sawDefault { throw error("parameter '\(pn)' without a default follows a labelled parameter; labelled `name: default` parameters come last", at: t) }
            if params.contains(where: { $0.name == pn }) { throw error("duplicate parameter '\(pn)'", at: t) }
            params.append(Parameter(name: pn, defaultValue: def, span: t.span))
            if isOp(",") { _ = advance() } else { break }
        }
        _ = try expectOp(")", "to close the parameter list")
        let body = try block("of function \(name)")
        var doc: [String] = []
        var l = start.span.line - 2
        while l >= 0, l < lines.count {
            let s = lines[l].trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("//") else { break }
            doc.insert(String(s.dropFirst(2)).trimmingCharacters(in: .whitespaces), at: 0)
            l -= 1
        }
        return FunctionDecl(name: name, params: params, body: body, span: start.span, doc: doc.isEmpty ? nil : doc.joined(separator: "\n"))
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
            guard isKeyword("else") else { pos = save; break }
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

    // MARK: Expressions (loosest first)
    mutating func expression() throws -> Expr {
        try enter(); defer { depth -= 1 }
        return try orExpr()
    }

    mutating func orExpr() throws -> Expr {
        var l = try andExpr()
        while isOp("||") { _ = advance(); let r = try andExpr(); l = .binary("||", l, r, l.span.to(r.span)) }
        return l
    }
    mutating func andExpr() throws -> Expr {
        var l = try comparison()
        while isOp("&&") { _ = advance(); let r = try comparison(); l = .binary("&&", l, r, l.span.to(r.span)) }
        return l
    }
    static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]
    mutating func comparison() throws -> Expr {
        let l = try rangeExpr()
        if case .op(let o) = peek.kind, Self.comparisons.contains(o) {
            _ = advance()
            let r = try rangeExpr()
            if case .op(let o2) = peek.kind, Self.comparisons.contains(o2) {
                throw error("comparison operators cannot be chained (a \(o) b \(o2) c); combine them with &&")
            }
            return .binary(o, l, r, l.span.to(r.span))
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
            _ = advance(); let r = try multiplicative(); l = .binary(o, l, r, l.span.to(r.span))
        }
        return l
    }
    mutating func multiplicative() throws -> Expr {
        var l = try prefix()
        while case .op(let o) = peek.kind, ["*", "/", "%", "@"].contains(o) {
            _ = advance(); let r = try prefix(); l = .binary(o, l, r, l.span.to(r.span))
        }
        return l
    }
    mutating func prefix() throws -> Expr {
        if case .op(let o) = peek.kind, o == "-" || o == "!" {
            let t = advance()
            try enter(); defer { depth -= 1 }
            let e = try prefix()
            return .unary(o, e, t.span.to(e.span))
        }
        return try postfix()
    }
    mutating func postfix() throws -> Expr {
        var e = try primary()
        while true {
            if isOp("(") {
                _ = advance()
                try enter(); defer { depth -= 1 }
                var args: [CallArgument] = []
                var sawLabel = false
                while !isOp(")") {
                    if case .identifier(let n) = peek.kind, case .op(":") = peekAt(1).kind {
                        let lt = advance(); _ = advance()
                        args.append(CallArgument(label: n, value: try expression(), labelSpan: lt.span)); sawLabel = true
                    } else {
                        let v = try expression()
                        if sawLabel { throw StrideError(.syntax, "positional argument after a labelled one; positional arguments come first", span: v.span) }
                        args.append(CallArgument(label: nil, value: v, labelSpan: nil))
                    }
                    if isOp(",") { _ = advance() } else { break }
                }
                let close = try expectOp(")", "to close the argument list")
                e = .call(e, args, e.span.to(close.span))
            } else if isOp(".") {
                _ = advance()
                let t = peek
                guard case .identifier(let n) = t.kind else {
                    if case .int(let k) = t.kind { _ = advance(); e = .member(e, String(k), e.span.to(t.span)); continue }
                    throw error("expected a member name after '.', found \(describe(t))")
                }
                _ = advance()
                e = .member(e, n, e.span.to(t.span))
            } else if isOp("[") {
                _ = advance()
                try enter(); defer { depth -= 1 }
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
        if isOp("...") { _ = advance(); return .ellipsis }
        if isKeyword("nil") , case .op(let o) = peekAt(1).kind, o == "," || o == "]" { _ = advance(); return .newAxis }
        var a: Expr? = nil, b: Expr? = nil, c: Expr? = nil
        if !isOp(":") { a = try expression() }
        guard isOp(":") else { return .single(a!) }
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
        case .int(let v): _ = advance(); return .int(v, t.span)
        case .float(let v): _ = advance(); return .float(v, t.span)
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
        case .keyword("true"): _ = advance(); return .bool(true, t.span)
        case .keyword("false"): _ = advance(); return .bool(false, t.span)
        case .keyword("nil"): _ = advance(); return .nilLiteral(t.span)
        case .identifier(let n): _ = advance(); return .name(n, t.span)
        case .op("("):
            _ = advance()
            try enter(); defer { depth -= 1 }
            if isOp(")") { let c = advance(); return .tuple([], t.span.to(c.span)) }
            let first = try expression()
            if isOp(")") { _ = advance(); return first }
            var items = [first]
            while isOp(",") {
                _ = advance()
                if isOp(")") { break }
                items.append(try expression())
            }
            let close = try expectOp(")", "to close the parenthesis")
            return .tuple(items, t.span.to(close.span))
        case .op("["):
            _ = advance()
            try enter(); defer { depth -= 1 }
            var items: [Expr] = []
            while !isOp("]") {
                items.append(try expression())
                if isOp(",") { _ = advance() } else { break }
            }
            let close = try expectOp("]", "to close the list")
            return .list(items, t.span.to(close.span))
        case .op("."):
            if case .int = peekAt(1).kind { throw error("a number cannot start with '.'; write 0.5, not .5") }
            throw error("unexpected '.'")
        case .keyword(let k): throw error("unexpected keyword '\(k)' where an expression was expected")
        case .newline, .eof: throw error("expected an expression, found \(describe(t))")
        case .op(let o): throw error("unexpected '\(o)' where an expression was expected")
        }
    }
}
