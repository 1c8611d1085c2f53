/// A lexical token with its span.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case int(Int), float(Double), string([StringPart]), identifier(String), keyword(String)
        case op(String), newline, eof
    }
    public var kind: Kind
    public var span: Span
}

/// A piece of a string literal: literal text, or an interpolated expression's source.
public enum StringPart: Sendable, Equatable {
    case text(String)
    case code(String, offset: Int, line: Int, column: Int)
}

let keywords: Set<String> = ["let", "var", "func", "return", "if", "else", "for", "in", "while", "break", "continue", "true", "false", "nil"]
