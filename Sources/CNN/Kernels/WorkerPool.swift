import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads `Parallel.forEach` runs on: one per core besides the caller's, started once. After a job a
/// worker keeps looking for the next one for a short while (yielding the core between looks) before it sleeps,
/// so the many sub-millisecond kernels of a backward pass start on every core at once, where waking a
/// sleeping thread for each (as Dispatch does) cost tens of microseconds per kernel. OpenMP runtimes, which
/// PyTorch uses, wait the same way.
///
/// One job at a time: a `forEach` that finds the pool busy (a nested loop, or another thread's loop) runs
/// its chunks on its own thread.
final class WorkerPool: @unchecked Sendable {
    // @unchecked: `job` is written only by the thread holding `busy`, before `generation` is bumped (release),
    // and read by workers after they see the new generation (acquire); the rest is atomics and a mutex.

    static let shared = WorkerPool(threads: Parallel.cores - 1)

    /// How long an idle worker looks for new work before sleeping.
    static let spinNanoseconds: UInt64 = 200_000

    /// A job: each worker calls `run` with its index (1..<threads + 1; the caller is 0).
    private struct Job {
        let run: (Int) -> Void
    }

    /// The pool threads that started (each takes part in every job).
    private(set) nonisolated(unsafe) var threads = 0
    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private nonisolated(unsafe) var job: Job?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    private init(threads: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        var started = 0
        for _ in 0..<Swift.max(0, threads) where start(started + 1) { started += 1 }
        self.threads = started
    }

    // the pool is process-wide and never deinitialised

    /// Runs `body(worker)` on the caller (worker 0) and on every pool thread (1...threads) at once, returning
    /// when all have finished; false (nothing run) when the pool is busy with another job.
    func run(_ body: (Int) -> Void) -> Bool {
        guard threads > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { b in
            job = Job(run: b)
            remaining.store(threads, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(mutex)
            }
            b(0)
            while remaining.load(ordering: .acquiring) > 0 { sched_yield() }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Starts pool thread `index`; false if the system refused a thread.
    private func start(_ index: Int) -> Bool {
        let context = Unmanaged.passRetained(WorkerStart(pool: self, index: index)).toOpaque()
        var thread = pthread_t()
        let made = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let start = Unmanaged<WorkerStart>.fromOpaque(raw).takeRetainedValue()
                start.pool.loop(start.index)
                return nil
            }, context)
        guard made == 0 else {
            Unmanaged<WorkerStart>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private func loop(_ index: Int) {
        // generation 0 is the one before any job: a thread that starts late must still take the first job
        var seen = 0
        while true {
            seen = waitForJob(after: seen)
            job?.run(index)
            remaining.subtract(1, ordering: .releasing)
        }
    }

    /// Waits until the generation moves past `seen` (spinning, then asleep) and returns the new one.
    private func waitForJob(after seen: Int) -> Int {
        let deadline = Self.now() &+ Self.spinNanoseconds
        var looks = 0
        while true {
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
            looks &+= 1
            if looks & 63 == 0, Self.now() > deadline { break }
            sched_yield()
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wake, mutex) }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return generation.load(ordering: .acquiring)
    }

    private static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}

/// What a new pool thread needs: its pool and index.
private final class WorkerStart {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}
