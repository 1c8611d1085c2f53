import Synchronization

/// A cooperative interrupt flag owned by a session. The kernel's control thread (or SIGINT) sets it;
/// the evaluator polls it on loop back-edges and calls, and kernels poll it between chunks of work.
public final class CancellationToken: Sendable {
    let flag = Atomic<Bool>(false)
    public init() {}
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
    /// Requests an interrupt; safe from any thread or a signal-handling thread.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
}

/// The token in force for the running task. Kernels call `Cancellation.check()` between chunks; parallel
/// kernels capture `current` before they start (worker threads do not inherit task-locals) — see
/// `Parallel.forEach`, which does this for every chunked loop.
public enum Cancellation {
    @TaskLocal public static var current: CancellationToken? = nil

    /// Throws `CNNError.interrupted` when an interrupt is pending.
    @inline(__always) public static func check() throws {
        if let t = current, t.isCancelled { throw CNNError.interrupted }
    }

    /// Throws when `token` (captured earlier) is cancelled.
    @inline(__always) static func check(_ token: CancellationToken?) throws {
        if let token, token.isCancelled { throw CNNError.interrupted }
    }
}
