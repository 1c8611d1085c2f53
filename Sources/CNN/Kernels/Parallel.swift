import Dispatch

/// Splits `0..<n` into chunks run on all cores (2 here); small ranges run inline.
enum Parallel {
    static let cores = max(1, sysconfCores())
    static func forEach(_ n: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(cores, Swift.max(1, n / Swift.max(minChunk, 1)))
        chunked(n, chunks: chunks) { _, r in body(r) }
    }

    /// Splits `0..<n` into `chunks` contiguous ranges run concurrently; the body also gets the chunk's
    /// index, for per-worker workspaces.
    static func chunked(_ n: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
        if chunks <= 1 { body(0, 0..<n); return }
        // The kernels hand each chunk a disjoint range of raw buffers; that is the
        // whole of the sharing, so the closure is sent across threads unchecked.
        withoutActuallyEscaping(body) { b in
            nonisolated(unsafe) let work = b
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                if lo < hi { work(c, lo..<hi) }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
import Darwin
func sysconfCores() -> Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
#endif
