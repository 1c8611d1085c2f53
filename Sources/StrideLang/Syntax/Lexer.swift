/// Turns source text into tokens with spans in Unicode code points. Newlines inside
/// (), [] are not significant; inside {} they end statements.
public struct Lexer {
    let chars: [Unicode.Scalar]
    let source: Int
    var i = 0, line = 1, col = 1
    var depth: [Character] = []  // open brackets

    public init(_ text: String, source: Int = 0, offset: Int = 0, line: Int = 1, column: Int = 1) {
        chars = Array(text.unicodeScalars); self.source = source
        self.line = line; self.col = column
        self.offsetBase = offset
    }
    let offsetBase: Int

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }
    mutating func advance() {
        if chars[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }
    func span(from s: Int, _ l: Int, _ c: Int) -> Span {
        Span(source: source, start: offsetBase + s, end: offsetBase + i, line: l, column: c)
    }

    func error(_ msg: String, _ s: Int, _ l: Int, _ c: Int) -> StrideError {
        StrideError(
            .syntax, msg,
            span: Span(source: source, start: offsetBase + s, end: offsetBase + Swift.max(i, s + 1), line: l, column: c)
        )
    }

    static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.isEmojiPresentation
    }
    static func isIdentChar(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || c.properties.numericType != nil || ("0"..."9").contains(c)
    }

    /// All tokens, ending in `.eof`.
    public mutating func tokenize() throws -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    mutating func next() throws -> Token {
        // whitespace and comments
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" { advance(); continue }
            if c == "\n" && depth.last.map({ $0 != "{" }) == true { advance(); continue }
            if c == "\\" && peek(1) == "\n" { advance(); advance(); continue }
            if c == "/" && peek(1) == "/" { while let d = peek(), d != "\n" { advance() }; continue }
            if c == "/" && peek(1) == "*" {
                let s = i, l = line, cc = col
                advance(); advance()
                var nest = 1
                while nest > 0 {
                    guard let d = peek() else { throw error("unterminated /* comment", s, l, cc) }
                    if d == "/" && peek(1) == "*" {
                        nest += 1; advance()
                    } else if d == "*" && peek(1) == "/" {
                        nest -= 1; advance()
                    }
                    advance()
                }
                continue
            }
            break
        }
        let s = i, l = line, c0 = col
        guard let c = peek() else { return Token(kind: .eof, span: span(from: s, l, c0)) }
        if c == "\n" { advance(); return Token(kind: .newline, span: span(from: s, l, c0)) }
        if ("0"..."9").contains(c) { return try number(s, l, c0) }
        if c == "\"" { return try string(s, l, c0) }
        if Self.isIdentStart(c) {
            var name = ""
            while let d = peek(), Self.isIdentChar(d) { name.unicodeScalars.append(d); advance() }
            return Token(
                kind: Keywords.set.contains(name) ? .keyword(name) : .identifier(name), span: span(from: s, l, c0))
        }
        if c == "%" && (i == 0 || (i > 0 && chars[i - 1] == "\n")), let n = peek(1), Self.isIdentStart(n) {
            // a magic line: % at the start of a line followed by a name
            advance()
            var name = "%"
            while let d = peek(), Self.isIdentChar(d) { name.unicodeScalars.append(d); advance() }
            return Token(kind: .identifier(name), span: span(from: s, l, c0))
        }
        let three = [".", ".", "."]
        if c == "." && peek(1) == "." && peek(2) == "<" {
            advance(); advance(); advance(); return Token(kind: .op("..<"), span: span(from: s, l, c0))
        }
        if String(String.UnicodeScalarView((0..<3).compactMap { peek($0) })) == three.joined() {
            advance(); advance(); advance(); return Token(kind: .op("..."), span: span(from: s, l, c0))
        }
        let twoOps: Set<String> = ["==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "->", "**"]
        if let d = peek(1) {
            let two = String(Character(c)) + String(Character(d))
            if twoOps.contains(two) { advance(); advance(); return Token(kind: .op(two), span: span(from: s, l, c0)) }
        }
        let single = "+-*/%@<>=!(){}[],:;.?"
        guard single.unicodeScalars.contains(c) else {
            advance()
            throw error("unexpected character '\(Character(c))'", s, l, c0)
        }
        advance()
        let ch = Character(c)
        switch ch {
        case "(", "[", "{": depth.append(ch)
        case ")", "]", "}": if !depth.isEmpty { depth.removeLast() }
        default: break
        }
        return Token(kind: .op(String(ch)), span: span(from: s, l, c0))
    }

    mutating func number(_ s: Int, _ l: Int, _ c0: Int) throws -> Token {
        var text = ""
        var isFloat = false
        func digits() {
            while let d = peek(), ("0"..."9").contains(d) || d == "_" {
                if d != "_" { text.unicodeScalars.append(d) }; advance()
            }
        }
        digits()
        if peek() == ".", let d = peek(1), ("0"..."9").contains(d) {
            isFloat = true; text += "."; advance(); digits()
        }
        if let e = peek(), e == "e" || e == "E" {
            let save = (i, line, col)
            var t = "e"; advance()
            if let sg = peek(), sg == "+" || sg == "-" { t.unicodeScalars.append(sg); advance() }
            if let d = peek(), ("0"..."9").contains(d) {
                text += t; isFloat = true; digits()
            } else {
                (i, line, col) = save
            }
        }
        if let d = peek(), Self.isIdentStart(d) {
            while let d = peek(), Self.isIdentChar(d) { advance() }
            throw error("invalid number literal", s, l, c0)
        }
        if isFloat {
            guard let v = Double(text) else { throw error("invalid number \(text)", s, l, c0) }
            return Token(kind: .float(v), span: span(from: s, l, c0))
        }
        guard let v = Int(text) else { throw error("integer literal \(text) does not fit in 64 bits", s, l, c0) }
        return Token(kind: .int(v), span: span(from: s, l, c0))
    }

    mutating func string(_ s: Int, _ l: Int, _ c0: Int) throws -> Token {
        advance()
        var parts: [StringPart] = []
        var cur = ""
        while true {
            guard let c = peek(), c != "\n" else { throw error("unterminated string literal", s, l, c0) }
            if c == "\"" { advance(); break }
            if c == "\\" {
                advance()
                guard let e = peek() else { throw error("unterminated string literal", s, l, c0) }
                switch e {
                case "n": cur += "\n"; advance()
                case "t": cur += "\t"; advance()
                case "\"": cur += "\""; advance()
                case "\\": cur += "\\"; advance()
                case "0": cur += "\0"; advance()
                case "(":
                    advance()
                    if !cur.isEmpty { parts.append(.text(cur)); cur = "" }
                    let cs = i, cl = line, cc = col
                    var nest = 1
                    var code = ""
                    var inner = false  // inside a string literal within the interpolation: "\(")")"
                    var escaped = false
                    while true {
                        guard let d = peek(), d != "\n" else {
                            throw error("unterminated interpolation \\( in string", s, l, c0)
                        }
                        if inner {
                            if escaped {
                                escaped = false
                            } else if d == "\\" {
                                escaped = true
                            } else if d == "\"" {
                                inner = false
                            }
                        } else if d == "\"" {
                            inner = true
                        } else if d == "(" {
                            nest += 1
                        } else if d == ")" {
                            nest -= 1
                            if nest == 0 {
                                advance()
                                break
                            }
                        }
                        code.unicodeScalars.append(d)
                        advance()
                    }
                    parts.append(.code(code, offset: offsetBase + cs, line: cl, column: cc))
                default:
                    throw error(
                        "unknown escape \\\(Character(e)) in string (use \\n \\t \\\" \\\\ or \\(…))", i - 1, line,
                        col - 1)
                }
                continue
            }
            cur.unicodeScalars.append(c); advance()
        }
        if !cur.isEmpty || parts.isEmpty { parts.append(.text(cur)) }
        return Token(kind: .string(parts), span: span(from: s, l, c0))
    }
}
