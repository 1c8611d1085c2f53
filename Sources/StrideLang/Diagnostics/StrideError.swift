public import CNN

/// The kinds of error of the language (docs/language.md §10).
public enum ErrorKind: String, Sendable, CaseIterable {
    case syntax = "SyntaxError", name = "NameError", type = "TypeError", value = "ValueError"
    case shape = "ShapeError", index = "IndexError", assertion = "AssertionError", memory = "MemoryError"
    case recursion = "RecursionError", io = "IOError", interrupted = "Interrupted", stdin = "StdinNotAllowed"
    case key = "KeyError"
}

/// One frame of the call stack: the function and the call site.
public struct StackFrame: Sendable, Equatable {
    public var function: String
    public var callSite: Span
}

/// An error as data: kind, message with the numbers, the span it points at, notes and the
/// function call stack (innermost first). `DiagnosticRenderer` draws it.
public struct StrideError: Error, Sendable {
    public var kind: ErrorKind
    public var message: String
    public var span: Span?
    public var notes: [String] = []
    public var callStack: [StackFrame] = []

    public init(_ kind: ErrorKind, _ message: String, span: Span? = nil) {
        self.kind = kind; self.message = message; self.span = span
    }

    /// Maps a runtime error to its language kind, pointing at `span`.
    public init(_ e: CNNError, span: Span?) {
        switch e {
        case .shape(let m): self.init(.shape, m, span: span)
        case .value(let m): self.init(.value, m, span: span)
        case .index(let m): self.init(.index, m, span: span)
        case .type(let m): self.init(.type, m, span: span)
        case .memory(let m): self.init(.memory, m, span: span)
        case .io(let m): self.init(.io, m, span: span)
        case .recursion(let m): self.init(.recursion, m, span: span)
        case .interrupted: self.init(.interrupted, "the cell was interrupted", span: span)
        }
    }
}
