public import Synchronization

/// A cooperative interrupt flag owned by a session. The kernel's control thread (or SIGINT) sets it;
/// the evaluator polls it on loop back-edges and calls, and kernels poll it between chunks of work.
public final class CancellationToken: Sendable {
    /// The flag lives at a fixed address for the token's lifetime, so a hot loop can poll it through a
    /// `CancellationFlag` without touching the token's reference count.
    private let storage: CancellationFlag

    public init() {
        let p = UnsafeMutablePointer<Atomic<Bool>>.allocate(capacity: 1)
        p.initialize(to: Atomic(false))
        storage = CancellationFlag(p)
    }

    deinit {
        storage.pointer.deinitialize(count: 1)
        storage.pointer.deallocate()
    }

    public var isCancelled: Bool { storage.isSet }
    /// Requests an interrupt; safe from any thread or a signal-handling thread.
    public func cancel() { storage.pointer.pointee.store(true, ordering: .relaxed) }
    public func reset() { storage.pointer.pointee.store(false, ordering: .relaxed) }
    /// The flag itself, valid while the token is alive (the holder must keep the token).
    public var flag: CancellationFlag { storage }
}

/// The address of a token's atomic flag: reading it is one relaxed load. Sendable because the flag is
/// atomic; valid only while its token lives.
public struct CancellationFlag: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Atomic<Bool>>
    init(_ pointer: UnsafeMutablePointer<Atomic<Bool>>) { self.pointer = pointer }
    @inlinable public var isSet: Bool { pointer.pointee.load(ordering: .relaxed) }
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
