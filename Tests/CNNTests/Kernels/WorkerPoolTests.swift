import Synchronization
import Testing

@testable import CNN
@testable import StrideTestSupport

/// `Parallel.forEach` on the worker pool: every chunk runs exactly once, on a worker index below the count
/// asked for, also when loops run from many threads at once (all but one find the pool busy and run on
/// their own thread) and when a loop runs inside another loop's chunk.
@Suite struct WorkerPoolTests {
    /// Runs a loop over `n` items and returns how many times each item was visited, and whether every
    /// worker index was in range.
    static func visits(_ n: Int, grain: Int, workers: Int) throws -> ([Int], Bool) {
        let counts = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: n)
        for i in 0..<n { (counts + i).initialize(to: Atomic(0)) }
        defer {
            counts.deinitialize(count: n)
            counts.deallocate()
        }
        let badWorker = Atomic<Bool>(false)
        try Parallel.forEach(n, grain: grain, workers: workers) { worker, r in
            if worker < 0 || worker >= Swift.max(1, Swift.min(workers, Parallel.cores)) {
                badWorker.store(true, ordering: .relaxed)
            }
            for i in r { counts[i].add(1, ordering: .relaxed) }
        }
        return ((0..<n).map { counts[$0].load(ordering: .relaxed) }, !badWorker.load(ordering: .relaxed))
    }

    @Test(arguments: [(1, 1, 4), (1000, 7, 2), (4096, 64, 1), (100_000, 1000, 8), (5, 100, 2)])
    func everyChunkRunsOnce(_ cfg: (Int, Int, Int)) throws {
        let (n, grain, workers) = cfg
        let (counts, workersInRange) = try Self.visits(n, grain: grain, workers: workers)
        #expect(counts.allSatisfy { $0 == 1 })
        #expect(workersInRange)
    }

    @Test func loopsFromManyThreadsAtOnce() async throws {
        let ok = try await withThrowingTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var fine = true
                    for k in 0..<50 {
                        let (counts, inRange) = try Self.visits(200 + 37 * t + k, grain: 16, workers: 2)
                        fine = fine && inRange && counts.allSatisfy { $0 == 1 }
                    }
                    return fine
                }
            }
            var all = true
            for try await fine in group { all = all && fine }
            return all
        }
        #expect(ok)
    }

    @Test func aLoopInsideAChunk() throws {
        let total = Atomic<Int>(0)
        try Parallel.forEach(64, grain: 4) { r in
            for _ in r {
                let inner = (try? Self.visits(100, grain: 10, workers: 2)) ?? ([], false)
                if inner.1, inner.0.allSatisfy({ $0 == 1 }) { total.add(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 64)
    }
}
