/// An error the runtime reports to its caller. Every case carries a message for people,
/// naming the numbers involved. Nothing a user controls ends in a crash: it ends here.
public enum CNNError: Error, Sendable, Equatable, CustomStringConvertible {
    case shape(String)
    case value(String)
    case index(String)
    case type(String)
    case memory(String)
    case io(String)
    case recursion(String)
    case interrupted

    public var message: String {
        switch self {
        case .shape(let m), .value(let m), .index(let m), .type(let m), .memory(let m), .io(let m), .recursion(let m):
            return m
        case .interrupted:
            return "interrupted"
        }
    }

    public var description: String { message }
}
