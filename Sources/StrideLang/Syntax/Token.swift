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

/// The language's keywords (`layer` and `op` are contextual: keywords only where a declaration starts, so
/// `let layer = model[0]` still works).
public enum Keywords {
    public static let reserved: [String] = [
        "let", "var", "func", "return", "if", "else", "for", "in", "while", "break", "continue", "true", "false", "nil",
    ]
    public static let contextual: [String] = ["layer", "op"]
    static let set = Set(reserved)
}
