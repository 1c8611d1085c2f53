import Synchronization

/// Whether ops record the graph, per task/thread (like PyTorch's thread-local grad
/// mode). `withNoGrad` turns recording off for a scope (optimiser updates, evaluation).
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` with graph recording off.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

/// Runs `body` with graph recording on (inside a no-grad scope).
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(true) { try body() }
}

/// A cooperative interrupt flag owned by a session. The kernel's control thread (or
/// SIGINT) sets it; the evaluator and long kernels poll it between blocks.
public final class CancellationToken: Sendable {
    let flag = Atomic<Bool>(false)
    public init() {}
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
    /// Requests an interrupt; safe from any thread or a signal-handling thread.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
}

/// The token in force for the running task; kernels call `Cancellation.check()`.
public enum Cancellation {
    @TaskLocal public static var current: CancellationToken? = nil
    /// Throws `CNNError.interrupted` when an interrupt is pending.
    @inline(__always) public static func check() throws {
        if let t = current, t.isCancelled { throw CNNError.interrupted }
    }
}
