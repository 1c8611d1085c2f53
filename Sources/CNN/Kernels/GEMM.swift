internal import CBLAS

/// Matrix products, threaded and interruptible by Stride rather than by BLAS.
///
/// BLAS is told once to run single-threaded. Stride splits large products into tiles of C (and K into
/// passes) and runs the tiles on every core through `Parallel.forEach`, so one set of threads does the
/// work (OpenBLAS's own workers spun in `sched_yield` against ours) and an interrupt is noticed between
/// tiles: no tile takes more than a few tens of milliseconds.
enum GEMM {
    /// Evaluated before the first BLAS call (thread-safe lazy initialisation).
    static let singleThreadedBLAS: Void = {
        #if !canImport(Darwin)
            openblas_set_num_threads(1)
        #endif
    }()

    /// Products below this many multiply-adds run as one BLAS call on the calling thread.
    static let smallProduct = 1 << 20
    /// Multiply-adds per tile pass: about 5–20 ms on one core.
    static let tileWork = 1 << 28
    /// Tiles are never thinner than this (BLAS efficiency).
    static let minTile = 64
    /// The largest dimension BLAS takes (its sizes are 32-bit).
    static let maxDimension = Int(Int32.max)
}

extension TensorScalar {
    /// C = alpha · op(A) · op(B) + beta · C, row-major; tiled across cores when large, interruptible
    /// between tiles.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    ) throws {
        guard m > 0, n > 0 else { return }
        guard Swift.max(m, n, k, lda, ldb, ldc) <= GEMM.maxDimension else {
            throw CNNError.shape("matrix product of \(m)x\(k) by \(k)x\(n) is too large for BLAS (a dimension ≥ 2^31)")
        }
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: Swift.max(k, 1))
        if !work.overflow, work.partialValue < GEMM.smallProduct {
            try Cancellation.check()
            blasGemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
            return
        }
        // K passes of at most kb, each a separate interruptible step; tiles of C sized to tileWork
        let kb = k == 0 ? 0 : Swift.min(k, Swift.max(256, GEMM.tileWork / (GEMM.minTile * GEMM.minTile)))
        let perElement = Swift.max(kb, 1)
        var tile = 1024
        while tile > GEMM.minTile && tile * tile * perElement > GEMM.tileWork { tile /= 2 }
        let mt0 = Swift.min(m, tile)
        let (mt, nt) = GEMM.balancedTiles(
            m: m, n: n, mt: mt0, nt: Swift.min(n, Swift.max(tile, GEMM.tileWork / (mt0 * perElement))),
            workers: Parallel.cores)
        let rows = (m - 1) / mt + 1, cols = (n - 1) / nt + 1
        var k0 = 0
        repeat {
            let kk = Swift.min(kb, k - k0)
            let betaPass = k0 == 0 ? beta : 1
            try Parallel.forEach(rows * cols, grain: 1) { r in
                for t in r {
                    let i0 = (t / cols) * mt, j0 = (t % cols) * nt
                    let mm = Swift.min(mt, m - i0), nn = Swift.min(nt, n - j0)
                    // op(A) rows i0..., columns k0...; op(B) rows k0..., columns j0...
                    let ap = transA ? a + k0 * lda + i0 : a + i0 * lda + k0
                    let bp = transB ? b + j0 * ldb + k0 : b + k0 * ldb + j0
                    blasGemm(
                        transA: transA, transB: transB, m: mm, n: nn, k: kk, alpha: alpha, a: ap, lda: lda,
                        b: bp, ldb: ldb, beta: betaPass, c: c + i0 * ldc + j0, ldc: ldc)
                }
            }
            k0 += kk
        } while k0 < k
    }
}

extension GEMM {
    /// Tiles of C at most `mt`×`nt`, resized so tiles along each axis are equal (a 512-column product cut at
    /// 455 left one core 57 columns while the other did 455) and, while the tiles are larger than `minTile`,
    /// split until there is at least one per worker.
    static func balancedTiles(m: Int, n: Int, mt: Int, nt: Int, workers: Int) -> (Int, Int) {
        func even(_ size: Int, _ parts: Int) -> Int {
            Swift.max(1, Swift.min(size, ((size + parts - 1) / parts + 15) / 16 * 16))
        }
        // parts asked for along each axis only grow, so the tiles only shrink and the loop ends
        var pr = (m + mt - 1) / Swift.max(mt, 1), pc = (n + nt - 1) / Swift.max(nt, 1)
        var tm = even(m, pr), tn = even(n, pc)
        while ((m + tm - 1) / tm) * ((n + tn - 1) / tn) < workers && (tm > minTile || tn > minTile) {
            if tn >= tm && tn > minTile { pc += 1 } else { pr += 1 }
            tm = even(m, pr)
            tn = even(n, pc)
        }
        return (tm, tn)
    }
}
