public import CNN

/// The kinds of error of the language (docs/language.md §10).
public enum ErrorKind: String, Sendable, CaseIterable {
    case syntax = "SyntaxError", name = "NameError", type = "TypeError", value = "ValueError"
    case shape = "ShapeError", index = "IndexError", assertion = "AssertionError", memory = "MemoryError"
    case recursion = "RecursionError", io = "IOError", interrupted = "Interrupted", stdin = "StdinNotAllowed"
    case key = "KeyError"
}

/// Where inside a model called at `callSite` an error happened: the stage path and the failing layer.
public struct StageNote: Sendable, Equatable {
    public var callSite: Span
    public var path: String
    public var layer: String
    public var inputShape: [Int]
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
    /// The container stages it happened in, outermost first (`in model[3] (Linear(…))`).
    public var stages: [StageNote] = []

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

extension StrideError {
    /// The error a model's stage raised, as the language reports it from the call at `span`.
    init(_ f: StageFailure, span: Span) {
        switch f.error {
        case let e as StrideError: self = e
        case let e as CNNError: self.init(e, span: span)
        case let e as StageFailure: self.init(e, span: span)
        default: self.init(.value, "\(f.error)", span: span)
        }
        guard kind != .interrupted else { return }
        stages.insert(StageNote(callSite: span, path: f.pathText, layer: f.layer, inputShape: f.inputShape), at: 0)
    }
}
