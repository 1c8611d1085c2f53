public import Foundation

/// A channel the kernel receives requests on and answers through.
public enum Channel: Sendable, Equatable, CustomStringConvertible {
    case shell, control, stdin

    public var description: String {
        switch self {
        case .shell: "shell"
        case .control: "control"
        case .stdin: "stdin"
        }
    }
}

/// How the kernel's messages travel: the ZeroMQ sockets of a real kernel (`ZMQTransport`) or memory in tests
/// (`InMemoryTransport`, as swift-nio's embedded channel). Frames are whole multipart messages; the kernel
/// encodes, signs and decodes them, the transport only moves them.
public protocol KernelTransport: AnyObject, Sendable {
    /// The next multipart message on a request channel, waiting up to `timeoutMs` (0: only what is queued).
    func receive(on channel: Channel, timeoutMs: Int) -> [Data]?
    /// Sends a multipart message on a request channel (a reply, an input request).
    func send(_ frames: [Data], on channel: Channel)
    /// Queues a message for iopub; `frames[0]` is the topic.
    func publish(_ frames: [Data])
    /// Waits until everything published so far has been handed on.
    func flushPublished()
    /// Starts background work (iopub, heartbeat); `tick` is called about every 50 ms while it runs.
    func start(tick: @escaping @Sendable () -> Void)
}
