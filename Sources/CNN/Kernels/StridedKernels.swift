/// Strided gather/scatter on raw buffers: the one loop behind views made contiguous, slicing, broadcasting
/// copies and their backward passes. No Tensor, no autograd here. The interrupt is checked between blocks
/// of rows, so copying a huge view can be stopped.
enum StridedKernels {
    /// Elements between interrupt checks.
    static let checkEvery = 1 << 16

    /// dst[i] = src[Σ idx_k · strides_k] for each multi-index of `shape` (dst contiguous).
    static func gather<T>(_ src: UnsafePointer<T>, strides: [Int], shape: [Int], _ dst: UnsafeMutablePointer<T>) throws
    {
        if strides.allSatisfy({ $0 == 0 }) {
            // one value broadcast to the whole shape (a sum's expanded gradient): a fill, across cores
            let n = shape.reduce(1, &*), v = src[0]
            try Parallel.forEach(n, grain: 1 << 16) { r in (dst + r.lowerBound).update(repeating: v, count: r.count) }
            return
        }
        try forEachOffset(offset: 0, strides: strides, shape: shape) { o, sInner, inner, out in
            if sInner == 1 {
                (dst + out).update(from: src + o, count: inner)
            } else if sInner == 0 {
                // a value broadcast along the row (a sum's expanded gradient): a fill, not a strided read
                (dst + out).update(repeating: src[o], count: inner)
            } else {
                var p = o
                for j in 0..<inner {
                    dst[out + j] = src[p]
                    p &+= sInner
                }
            }
        }
    }

    /// dst[Σ idx_k · strides_k] += src[i] for each multi-index of `shape` (src contiguous).
    static func scatterAdd<T: AdditiveArithmetic>(
        _ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, strides: [Int], shape: [Int]
    ) throws {
        try forEachOffset(offset: 0, strides: strides, shape: shape) { o, sInner, inner, out in
            var p = o
            for j in 0..<inner {
                dst[p] += src[out + j]
                p &+= sInner
            }
        }
    }

    /// dst[Σ idx_k · dstStrides_k] = src[Σ idx_k · srcStrides_k] for each multi-index of `shape`
    /// (src strides may be 0 where the value broadcasts).
    static func copy<T>(
        _ src: UnsafePointer<T>, srcStrides: [Int], _ dst: UnsafeMutablePointer<T>, dstStrides: [Int], shape: [Int]
    ) throws {
        let nd = shape.count
        if nd == 0 {
            dst[0] = src[0]
            return
        }
        if shape.contains(0) { return }
        let inner = shape[nd - 1], si = srcStrides[nd - 1], di = dstStrides[nd - 1]
        var idx = [Int](repeating: 0, count: nd)
        var s = 0, d = 0, done = 0
        let token = Cancellation.current
        let total = shape.reduce(1, &*)
        while done < total {
            var ps = s, pd = d
            for _ in 0..<inner {
                dst[pd] = src[ps]
                ps &+= si
                pd &+= di
            }
            done &+= inner
            if done % checkEvery < inner { try Cancellation.check(token) }
            var k = nd - 2
            while k >= 0 {
                idx[k] += 1
                s &+= srcStrides[k]
                d &+= dstStrides[k]
                if idx[k] < shape[k] { break }
                s &-= srcStrides[k] &* shape[k]
                d &-= dstStrides[k] &* shape[k]
                idx[k] = 0
                k -= 1
            }
            if k < 0 { break }
        }
    }

    /// Calls `body(srcOffset, innerStride, innerCount, rowStart)` once per innermost row, in row-major
    /// order (`rowStart` is the row's position in a contiguous layout).
    @inline(__always)
    static func forEachOffset(
        offset: Int, strides: [Int], shape: [Int], _ body: (Int, Int, Int, Int) throws -> Void
    ) throws {
        let nd = shape.count
        if nd == 0 {
            try body(offset, 1, 1, 0)
            return
        }
        if shape.contains(0) { return }
        let inner = shape[nd - 1], sInner = strides[nd - 1]
        var outer = 1
        for k in 0..<(nd - 1) { outer &*= shape[k] }
        var idx = [Int](repeating: 0, count: Swift.max(nd - 1, 1))
        var base = offset
        var out = 0
        let token = Cancellation.current
        let rowsPerCheck = Swift.max(1, checkEvery / Swift.max(inner, 1))
        for r in 0..<outer {
            if r % rowsPerCheck == rowsPerCheck - 1 { try Cancellation.check(token) }
            try body(base, sInner, inner, out)
            out &+= inner
            var k = nd - 2
            while k >= 0 {
                idx[k] += 1
                base &+= strides[k]
                if idx[k] < shape[k] { break }
                base &-= strides[k] &* shape[k]
                idx[k] = 0
                k -= 1
            }
        }
    }
}
