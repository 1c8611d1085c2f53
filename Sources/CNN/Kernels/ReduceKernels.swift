/// Summation with Float32 error comparable to PyTorch's: pairwise (cascade) sums of contiguous runs, and
/// blocked accumulation across rows, so the error grows with log n (or n / block), not with n.
enum ReduceKernels {
    /// Below this length a run is summed with eight independent accumulators.
    static let pairwiseBase = 128
    /// Rows added into a partial row before it is folded into the total.
    static let rowBlock = 64

    /// Σ p[0..<n] in eight lanes (a row of a bias gradient): a plain loop's single running sum cannot be
    /// vectorised, since that would reorder its additions.
    @inline(__always)
    static func laneSum<T: TensorScalar>(_ p: UnsafePointer<T>, _ n: Int) -> T {
        var lanes = SIMD8<T>()
        var i = 0
        while i + 8 <= n {
            lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<T>.self)
            i += 8
        }
        var s = lanes.sum()
        while i < n {
            s += p[i]
            i += 1
        }
        return s
    }

    /// Σ p[0..<n] by pairwise summation.
    static func pairwiseSum<T: KernelElement>(_ p: UnsafePointer<T>, _ n: Int) -> T {
        if n <= pairwiseBase {
            var acc = (
                T.zeroValue, T.zeroValue, T.zeroValue, T.zeroValue, T.zeroValue, T.zeroValue, T.zeroValue, T.zeroValue
            )
            var i = 0
            while i + 8 <= n {
                acc.0 = T.add(acc.0, p[i])
                acc.1 = T.add(acc.1, p[i + 1])
                acc.2 = T.add(acc.2, p[i + 2])
                acc.3 = T.add(acc.3, p[i + 3])
                acc.4 = T.add(acc.4, p[i + 4])
                acc.5 = T.add(acc.5, p[i + 5])
                acc.6 = T.add(acc.6, p[i + 6])
                acc.7 = T.add(acc.7, p[i + 7])
                i += 8
            }
            var s = T.add(
                T.add(T.add(acc.0, acc.1), T.add(acc.2, acc.3)), T.add(T.add(acc.4, acc.5), T.add(acc.6, acc.7)))
            while i < n {
                s = T.add(s, p[i])
                i += 1
            }
            return s
        }
        let half = (n / 2 + 7) & ~7
        return T.add(pairwiseSum(p, half), pairwiseSum(p + half, n - half))
    }

    /// Runs of at most this many elements are the leaves a long sum is split into across cores.
    static let leafSize = 1 << 15

    /// `pairwiseSum(p, n)` across cores, with the same result to the last bit: the pairwise tree is cut into
    /// leaves of at most `leafSize` elements, the leaves are summed in parallel (interruptibly), and their sums
    /// are combined along the same tree.
    static func parallelPairwiseSum<T: KernelElement>(_ p: UnsafePointer<T>, _ n: Int) throws -> T {
        var leaves: [(offset: Int, count: Int)] = []
        func split(_ offset: Int, _ count: Int) {
            guard count > leafSize && count > pairwiseBase else {
                leaves.append((offset, count))
                return
            }
            let half = (count / 2 + 7) & ~7
            split(offset, half)
            split(offset + half, count - half)
        }
        split(0, n)
        let partial = UnsafeMutablePointer<T>.allocate(capacity: leaves.count)
        defer { partial.deallocate() }
        try Parallel.forEach(leaves.count, grain: 1) { r in
            for k in r { partial[k] = pairwiseSum(p + leaves[k].offset, leaves[k].count) }
        }
        var next = 0
        func combine(_ count: Int) -> T {
            guard count > leafSize && count > pairwiseBase else {
                defer { next += 1 }
                return partial[next]
            }
            let half = (count / 2 + 7) & ~7
            let a = combine(half)
            return T.add(a, combine(count - half))
        }
        return combine(n)
    }

    /// y[o, i] = Σ_k x[o, k, i] for x laid out (outer, n, inner), contiguous. Runs in interruptible chunks
    /// across cores.
    static func sum<T: KernelElement>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, outer: Int, n: Int, inner: Int
    ) throws {
        guard outer > 0, inner > 0 else { return }  // nothing to write (n may still be 0: sums of nothing are 0)
        if inner == 1 && outer == 1 && n >= 2 * leafSize {
            y[0] = try parallelPairwiseSum(x, n)
            return
        }
        if inner == 1 {
            try Parallel.forEach(outer, grain: Swift.max(1, (1 << 16) / Swift.max(n, 1))) { r in
                for o in r { y[o] = pairwiseSum(x + o * n, n) }
            }
            return
        }
        // rows summed in blocks, blocks combined pairwise (a cascade), so the error grows with log n
        let chunkInner = Swift.min(inner, 1024)
        let innerChunks = (inner + chunkInner - 1) / chunkInner
        var levels = 1
        while (rowBlock << (levels - 1)) < n { levels += 1 }
        try Parallel.forEach(outer * innerChunks, grain: Swift.max(1, (1 << 16) / Swift.max(n * chunkInner, 1))) { r in
            let scratch = UnsafeMutablePointer<T>.allocate(capacity: chunkInner * (levels + 1))
            defer { scratch.deallocate() }
            for job in r {
                let o = job / innerChunks, i0 = (job % innerChunks) * chunkInner
                let w = Swift.min(chunkInner, inner - i0)
                let base = x + o * n * inner + i0
                cascade(base, inner: inner, width: w, rows: 0..<n, into: scratch, scratch: scratch + chunkInner)
                let yb = y + o * inner + i0
                for i in 0..<w { yb[i] = scratch[i] }
            }
        }
    }

    /// out[i] = Σ_{k in rows} x[k·inner + i] for i < width: blocks of `rowBlock` rows summed directly,
    /// halves combined pairwise (`scratch` holds one partial row per level).
    static func cascade<T: KernelElement>(
        _ x: UnsafePointer<T>, inner: Int, width: Int, rows: Range<Int>, into out: UnsafeMutablePointer<T>,
        scratch: UnsafeMutablePointer<T>
    ) {
        for i in 0..<width { out[i] = T.zeroValue }
        if rows.count <= rowBlock {
            for k in rows {
                let xb = x + k * inner
                for i in 0..<width { out[i] = T.add(out[i], xb[i]) }
            }
            return
        }
        let mid = rows.lowerBound + rows.count / 2
        cascade(x, inner: inner, width: width, rows: rows.lowerBound..<mid, into: out, scratch: scratch)
        cascade(x, inner: inner, width: width, rows: mid..<rows.upperBound, into: scratch, scratch: scratch + width)
        for i in 0..<width { out[i] = T.add(out[i], scratch[i]) }
    }
}
