public import Foundation

/// A transport in memory, for tests (as swift-nio's embedded channel): a test delivers request frames to a
/// channel, the kernel handles them, and the test reads what was sent back and what was published.
public final class InMemoryTransport: KernelTransport, @unchecked Sendable {
    private let condition = NSCondition()
    private var inboxes: [Channel: [[Data]]] = [:]
    private var sentFrames: [(Channel, [Data])] = []
    private var publishedFrames: [[Data]] = []
    private var tick: (@Sendable () -> Void)?

    public init() {}

    /// Queues a message as if a client had sent it on `channel`.
    public func deliver(_ frames: [Data], to channel: Channel) {
        condition.lock()
        inboxes[channel, default: []].append(frames)
        condition.broadcast()
        condition.unlock()
    }

    /// Everything the kernel sent on `channel` (replies, input requests), in order.
    public func sent(on channel: Channel) -> [[Data]] {
        condition.lock()
        defer { condition.unlock() }
        return sentFrames.filter { $0.0 == channel }.map(\.1)
    }

    /// Everything published on iopub, in order (each with its topic frame first).
    public var published: [[Data]] {
        condition.lock()
        defer { condition.unlock() }
        return publishedFrames
    }

    /// Forgets what was sent and published.
    public func clear() {
        condition.lock()
        sentFrames.removeAll()
        publishedFrames.removeAll()
        condition.unlock()
    }

    public func receive(on channel: Channel, timeoutMs: Int) -> [Data]? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while inboxes[channel, default: []].isEmpty {
            if timeoutMs <= 0 || !condition.wait(until: deadline) { break }
        }
        guard var queue = inboxes[channel], !queue.isEmpty else { return nil }
        let first = queue.removeFirst()
        inboxes[channel] = queue
        return first
    }

    public func send(_ frames: [Data], on channel: Channel) {
        condition.lock()
        sentFrames.append((channel, frames))
        condition.unlock()
    }

    public func publish(_ frames: [Data]) {
        condition.lock()
        publishedFrames.append(frames)
        condition.unlock()
    }

    public func flushPublished() {}
    public func start(tick: @escaping @Sendable () -> Void) { self.tick = tick }
}
