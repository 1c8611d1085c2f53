/// Coalesces stream writes and caps runaway output: what to send, and when to stop.
/// A pure state machine; the kernel's loops do the I/O.
public struct OutputThrottle: Sendable {
    public var limitBytes: Int
    public private(set) var pending: [(name: String, text: String)] = []
    public private(set) var sentBytes = 0
    public private(set) var droppedBytes = 0
    public init(limitBytes: Int = 1 << 20) { self.limitBytes = limitBytes }

    /// Buffers a write (merging with the previous write to the same stream); drops beyond the cap.
    public mutating func write(_ name: String, _ text: String) {
        let n = text.utf8.count
        if sentBytes + pendingBytes + n > limitBytes {
            let room = Swift.max(0, limitBytes - sentBytes - pendingBytes)
            if room > 0 { append(name, String(decoding: text.utf8.prefix(room), as: UTF8.self)) }
            droppedBytes += n - room
            return
        }
        append(name, text)
    }
    mutating func append(_ name: String, _ text: String) {
        if let last = pending.last, last.name == name {
            pending[pending.count - 1].text += text
        } else {
            pending.append((name, text))
        }
    }
    var pendingBytes: Int { pending.reduce(0) { $0 + $1.text.utf8.count } }

    /// Takes what should be sent now.
    public mutating func drain() -> [(name: String, text: String)] {
        let out = pending
        sentBytes += pendingBytes
        pending = []
        return out
    }

    /// The note for the end of a cell whose output was cut, if any.
    public mutating func finish() -> String? {
        defer { sentBytes = 0; droppedBytes = 0 }
        guard droppedBytes > 0 else { return nil }
        return
            "\n[output truncated: \(droppedBytes) more bytes were not shown (limit \(limitBytes / 1024) KiB per cell)]\n"
    }
}
