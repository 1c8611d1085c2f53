/// The syntax tree. Every node carries the span of source it came from.
public indirect enum Expr: Sendable {
    case int(Int, Span)
    case float(Double, Span)
    case string([InterpolationPart], Span)
    case bool(Bool, Span)
    case nilLiteral(Span)
    case name(String, Span)
    case list([Expr], Span)
    case dict([(key: Expr, value: Expr)], Span)
    case tuple([Expr], Span)
    case unary(UnaryOperator, Expr, Span)
    case binary(BinaryOperator, Expr, Expr, Span)
    case ternary(Expr, Expr, Expr, Span)
    case range(Expr, Expr, closed: Bool, Span)
    case call(Expr, [CallArgument], Span)
    case member(Expr, String, Span)
    case index(Expr, [IndexExpr], Span)
    case closure(FunctionDecl)

    public var span: Span {
        switch self {
        case .int(_, let s), .float(_, let s), .string(_, let s), .bool(_, let s), .nilLiteral(let s), .name(_, let s),
            .list(_, let s), .dict(_, let s), .tuple(_, let s), .unary(_, _, let s), .binary(_, _, _, let s),
            .ternary(_, _, _, let s), .range(_, _, _, let s), .call(_, _, let s), .member(_, _, let s),
            .index(_, _, let s):
            return s
        case .closure(let f):
            return f.span
        }
    }
}

public enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

/// A call argument: positional (label nil) or labelled.
public struct CallArgument: Sendable {
    public var label: String?
    public var value: Expr
    public var labelSpan: Span?
}

/// One item inside `x[…]`.
public enum IndexExpr: Sendable {
    case single(Expr)
    case slice(Expr?, Expr?, Expr?)
    case ellipsis
    case newAxis
}

/// A binding pattern: a name or a (possibly nested) tuple of names.
public indirect enum Pattern: Sendable {
    case name(String, Span)
    case tuple([Pattern], Span)

    var names: [(String, Span)] {
        switch self {
        case .name(let n, let s): [(n, s)]
        case .tuple(let ps, _): ps.flatMap { $0.names }
        }
    }

    var span: Span {
        switch self {
        case .name(_, let s), .tuple(_, let s): s
        }
    }
}

/// A function parameter: required, or trailing `label: default`.
public struct Parameter: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var span: Span
    /// The default as written (`1`, `[3, 3]`), for signatures in `help`.
    public var defaultText: String? = nil

    /// `name` or `name: default`.
    var shown: String {
        guard defaultValue != nil else { return name }
        return "\(name): \(defaultText ?? "…")"
    }
}

public indirect enum Stmt: Sendable {
    case expr(Expr, Span)
    case binding(isVar: Bool, Pattern, Expr, Span)
    case assign(Expr, BinaryOperator?, Expr, Span)  // target, compound op (+= is .add) or nil, value
    case funcDecl(FunctionDecl)
    case layerDecl(LayerDecl)
    case ifStmt([(Expr, [Stmt])], [Stmt]?, Span)
    case whileStmt(Expr, [Stmt], Span)
    case forStmt(Pattern, Expr, [Stmt], Span)
    case returnStmt(Expr?, Span)
    case breakStmt(Span)
    case continueStmt(Span)
    case magic(String, String, Stmt?, Span)  // name, raw argument text, parsed statement (for %time)

    public var span: Span {
        switch self {
        case .expr(_, let s), .binding(_, _, _, let s), .assign(_, _, _, let s), .ifStmt(_, _, let s),
            .whileStmt(_, _, let s), .forStmt(_, _, _, let s), .returnStmt(_, let s), .breakStmt(let s),
            .continueStmt(let s), .magic(_, _, _, let s):
            return s
        case .funcDecl(let f): return f.span
        case .layerDecl(let l): return l.span
        }
    }
}

/// What kind of code a function body is.
public enum FunctionKind: Sendable {
    /// `func name(…) { … }`
    case function
    /// `{ x in … }`
    case closure
    /// `op name(…) { … }`: returns (output, backward closure); the call records one autograd node.
    case op
    /// The body of a `layer` declaration: runs once per instance; its top-level bindings are the fields.
    case layerBody
    /// A method declared in a layer body (`func forward(x)`).
    case method
    /// A cell's top level.
    case cell
}

/// `func name(params) { body }`, `op name(params) { body }` or a closure; a reference so closures share one
/// declaration.
public final class FunctionDecl: Sendable {
    public let name: String
    public let kind: FunctionKind
    public let params: [Parameter]
    public let body: [Stmt]
    public let span: Span
    public let doc: String?

    init(name: String, kind: FunctionKind, params: [Parameter], body: [Stmt], span: Span, doc: String?) {
        self.name = name
        self.kind = kind
        self.params = params
        self.body = body
        self.span = span
        self.doc = doc
    }

    /// `name(a, b, stride: …)`.
    public var signature: String {
        "\(name)(" + params.map(\.shown).joined(separator: ", ") + ")"
    }
}

/// `layer Name(params) { body }`: the body runs once per instance; its top-level `let`/`var` are the fields,
/// its `func`s the methods; `forward` is required.
public final class LayerDecl: Sendable {
    public let name: String
    public let params: [Parameter]
    public let body: [Stmt]
    public let span: Span
    public let doc: String?

    init(name: String, params: [Parameter], body: [Stmt], span: Span, doc: String?) {
        self.name = name
        self.params = params
        self.body = body
        self.span = span
        self.doc = doc
    }

    public var signature: String {
        "\(name)(" + params.map(\.shown).joined(separator: ", ") + ")"
    }
}

/// A parsed cell: its statements and whether the last one ended with `;`.
public struct Program: Sendable {
    public var statements: [Stmt]
    public var endsWithSemicolon: Bool
}
