internal import CBLAS

/// Matrix products, threaded by Stride rather than by BLAS.
///
/// BLAS is told once to run single-threaded. Stride splits work across cores itself: a large product
/// into column or row blocks (`gemm`), a convolution into images, each worker calling BLAS on its own
/// thread (`blasGemm`). One set of threads: no BLAS workers spinning in `sched_yield` while our own
/// kernels run (on a 2-core machine they took an eighth of a convolution's time), and no nested threading.
enum GEMM {
    /// Evaluated before the first BLAS call (thread-safe lazy initialisation).
    static let singleThreadedBLAS: Void = {
        #if !canImport(Darwin)
        openblas_set_num_threads(1)
        #endif
    }()

    /// Products below this many multiply-adds run on one thread.
    static let parallelThreshold = 1 << 20
}

extension TensorScalar {
    /// C = alpha · op(A) · op(B) + beta · C, row-major; split across cores when large.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) {
        let cores = Parallel.cores
        guard cores > 1, m * n * k >= GEMM.parallelThreshold, Swift.max(m, n) >= 2 * cores else {
            blasGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        if n >= m {
            // column blocks of B and C, at least 16 wide
            Parallel.forEach(n, minChunk: 16) { r in
                let bj = transB ? b + r.lowerBound * ldb : b + r.lowerBound
                blasGemm(transA: transA, transB: transB, m: m, n: r.count, k: k, alpha: alpha, a: a, lda: lda,
                         b: bj, ldb: ldb, beta: beta, c: c + r.lowerBound, ldc: ldc)
            }
        } else {
            Parallel.forEach(m, minChunk: 16) { r in
                let ai = transA ? a + r.lowerBound : a + r.lowerBound * lda
                blasGemm(transA: transA, transB: transB, m: r.count, n: n, k: k, alpha: alpha, a: ai, lda: lda,
                         b: b, ldb: ldb, beta: beta, c: c + r.lowerBound * ldc, ldc: ldc)
            }
        }
    }
}
