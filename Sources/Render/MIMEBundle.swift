/// A display payload: MIME type → content (text, or base64 for images), plus per-type
/// metadata such as image width and height. Render's own type; the kernel has its own
/// and the `stride` adapter converts.
public struct MIMEBundle: Sendable, Equatable {
    public var data: [String: String]
    public var metadata: [String: [String: Int]]
    public init(data: [String: String] = [:], metadata: [String: [String: Int]] = [:]) {
        self.data = data; self.metadata = metadata
    }
    /// A bundle with only `text/plain`.
    public static func text(_ s: String) -> MIMEBundle { MIMEBundle(data: ["text/plain": s]) }
}

/// Escapes text for HTML and XML.
public func escapeHTML(_ s: String) -> String {
    var o = ""
    for c in s {
        switch c {
        case "&": o += "&amp;";
        case "<": o += "&lt;";
        case ">": o += "&gt;";
        case "\"": o += "&quot;"
        default: o.append(c)
        }
    }
    return o
}
