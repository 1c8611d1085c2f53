/// Recursive-descent parser over the precedence table of the language reference (docs/language.md §3).
/// Nesting deeper than `maxDepth` is a SyntaxError, never a stack overflow.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    var depth = 0
    /// How many blocks (`{ … }` of functions, loops, conditionals, closures, layers) enclose the statement being
    /// parsed: magics run only at a cell's top level.
    var blockDepth = 0
    let source: Int
    let lines: [Substring]
    public static let maxDepth = 200

    /// Parses a whole cell.
    public static func parse(_ text: String, source: Int = 0) throws -> Program {
        var lx = Lexer(text, source: source)
        var p = Parser(
            tokens: try lx.tokenize(), source: source,
            lines: text.split(separator: "\n", omittingEmptySubsequences: false))
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

    init(tokens: [Token], source: Int, lines: [Substring]) {
        self.tokens = tokens
        self.source = source
        self.lines = lines
    }

    // MARK: Token helpers

    var peek: Token { tokens[pos] }
    func peekAt(_ k: Int) -> Token { tokens[Swift.min(pos + k, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func isOp(_ s: String) -> Bool {
        if case .op(let o) = peek.kind { return o == s }
        return false
    }

    func isOp(_ s: String, at k: Int) -> Bool {
        if case .op(let o) = peekAt(k).kind { return o == s }
        return false
    }

    func isKeyword(_ s: String) -> Bool {
        if case .keyword(let k) = peek.kind { return k == s }
        return false
    }

    func isNewline(_ t: Token) -> Bool {
        if case .newline = t.kind { return true }
        return false
    }

    func isEnd(_ t: Token) -> Bool {
        if case .eof = t.kind { return true }
        return false
    }

    mutating func skipNewlines() { while isNewline(peek) { _ = advance() } }

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

    // MARK: Programs and blocks

    mutating func program() throws -> Program {
        var stmts: [Stmt] = []
        var semi = false
        while true {
            while isNewline(peek) {
                _ = advance()
                semi = false
            }
            while isOp(";") {
                _ = advance()
                semi = true
            }
            if isNewline(peek) { continue }
            if isEnd(peek) { break }
            stmts.append(try statement())
            semi = false
            if isOp(";") { continue }
            if isNewline(peek) || isEnd(peek) { continue }
            if isOp("}") { throw error("unexpected '}': no block is open here") }
            throw error("expected end of line or ';' after statement, found \(describe(peek))")
        }
        return Program(statements: stmts, endsWithSemicolon: semi)
    }

    /// `{ statements }` (after optional newlines).
    mutating func block(_ context: String) throws -> [Stmt] {
        try enter()
        defer { depth -= 1 }
        skipNewlines()
        _ = try expectOp("{", context)
        return try statementsUntilBrace(context)
    }

    /// Statements up to and including the closing `}`.
    mutating func statementsUntilBrace(_ context: String) throws -> [Stmt] {
        blockDepth += 1
        defer { blockDepth -= 1 }
        var stmts: [Stmt] = []
        while true {
            while isNewline(peek) || isOp(";") { _ = advance() }
            if isOp("}") {
                _ = advance()
                return stmts
            }
            if isEnd(peek) { throw error("expected '}' to close the block \(context)") }
            stmts.append(try statement())
            if isOp(";") || isOp("}") || isNewline(peek) { continue }
            throw error("expected end of line or ';' after statement, found \(describe(peek))")
        }
    }

    /// The `//` or `///` comment lines right above source line `line` (1-based), joined.
    func docComment(above line: Int) -> String? {
        var doc: [String] = []
        var l = line - 2
        while l >= 0, l < lines.count {
            let s = lines[l].trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("//") else { break }
            doc.insert(String(s.drop { $0 == "/" }).trimmingCharacters(in: .whitespaces), at: 0)
            l -= 1
        }
        return doc.isEmpty ? nil : doc.joined(separator: "\n")
    }

    /// The `///` lines that open a body starting on source line `line` (the brace's line).
    func docComment(openingBodyAt line: Int) -> String? {
        var doc: [String] = []
        var l = line  // the line after the brace (0-based index = line)
        if line - 1 < lines.count, let r = lines[line - 1].range(of: "///") {
            doc.append(String(lines[line - 1][r.upperBound...]).trimmingCharacters(in: .whitespaces))
        }
        while l < lines.count {
            let s = lines[l].trimmingCharacters(in: .whitespaces)
            guard s.hasPrefix("///") else { break }
            doc.append(String(s.dropFirst(3)).trimmingCharacters(in: .whitespaces))
            l += 1
        }
        return doc.isEmpty ? nil : doc.joined(separator: "\n")
    }
}

import Foundation
