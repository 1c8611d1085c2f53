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

    /// "`what` expects (N, C, H, W), got shape …", and for one image (C, H, W) how to keep its batch dimension.
    public static func needsBatch(_ what: String, _ shape: [Int], also: String = "") -> CNNError {
        var m = "\(what) expects a 4-D input (N, C, H, W)\(also), got shape \(shapeString(shape))"
        if shape.count == 3 {
            m += "; one image (C, H, W) needs its batch dimension: x[0:1] or x.unsqueeze(0) keeps it (x[0] drops it)"
        }
        return .shape(m)
    }
}
