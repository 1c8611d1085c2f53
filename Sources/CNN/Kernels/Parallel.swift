import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stride's own threading: work split into small chunks that every core takes from a shared counter,
/// with the interrupt checked before each chunk. BLAS runs single-threaded inside the chunks (see `GEMM`),
/// so there is one set of threads.
///
/// Every long kernel goes through `forEach`, which makes it interruptible within one chunk's time: size
/// `grain` so a chunk is well under a millisecond of work.
enum Parallel {
    static let cores = Swift.max(1, sysconfCores())

    /// The next chunk to take, shared by the workers of one loop.
    private final class Counter: Sendable {
        let next = Atomic<Int>(0)
    }

    /// Runs `body` over `0..<n` in chunks of `grain` items (the last may be shorter), on every core when
    /// there are several chunks; throws `CNNError.interrupted` if an interrupt arrives (the remaining
    /// chunks are skipped).
    static func forEach(_ n: Int, grain: Int, _ body: (Range<Int>) -> Void) throws {
        try forEach(n, grain: grain, workers: cores) { _, r in body(r) }
    }

    /// As `forEach`, with the worker's index (0..<workers) for per-worker workspaces.
    static func forEach(_ n: Int, grain: Int, workers: Int, _ body: (_ worker: Int, Range<Int>) -> Void) throws {
        guard n > 0 else { return }
        let g = Swift.max(1, grain)
        let chunks = (n - 1) / g + 1
        let token = Cancellation.current
        let w = Swift.max(1, Swift.min(workers, chunks, cores))
        if w == 1 {
            for c in 0..<chunks {
                try Cancellation.check(token)
                body(0, (c * g)..<Swift.min(n, (c + 1) * g))
            }
            return
        }
        let counter = Counter()
        // The kernels hand each chunk a disjoint range of raw buffers; that is the whole of the sharing.
        let ran = WorkerPool.shared.run { worker in
            guard worker < w else { return }
            while true {
                if token?.isCancelled == true { return }
                let c = counter.next.wrappingAdd(1, ordering: .relaxed).oldValue
                if c >= chunks { return }
                body(worker, (c * g)..<Swift.min(n, (c + 1) * g))
            }
        }
        if !ran {
            // the pool is running another loop (this one is nested in it, or on another thread): this thread
            // takes every chunk
            for c in 0..<chunks {
                try Cancellation.check(token)
                body(0, (c * g)..<Swift.min(n, (c + 1) * g))
            }
        }
        try Cancellation.check(token)
    }

    /// A grain that gives each chunk about `target` units of work when one item costs `cost` units,
    /// and at least `minimum` items.
    static func grain(cost: Int, target: Int = 1 << 16, minimum: Int = 1) -> Int {
        Swift.max(minimum, target / Swift.max(cost, 1))
    }
}

private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
