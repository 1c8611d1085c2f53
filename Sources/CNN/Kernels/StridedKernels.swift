/// Strided gather/scatter on raw buffers: the one loop behind permute, slicing,
/// broadcasting copies and their backward passes. No Tensor, no autograd here.
enum StridedKernels {
    /// dst[i] = src[offset + Σ idx_k * strides_k] for each multi-index of `shape`.
    static func gather<T>(_ src: UnsafePointer<T>, offset: Int, strides: [Int], shape: [Int], _ dst: UnsafeMutablePointer<T>) {
        forEachOffset(offset: offset, strides: strides, shape: shape) { o, sInner, inner, out in
            if sInner == 1 { (dst + out).update(from: src + o, count: inner) }
            else { var p = o; for j in 0..<inner { dst[out + j] = src[p]; p += sInner } }
        }
    }

    /// dst[offset + Σ idx_k * strides_k] += src[i] for each multi-index of `shape`.
    static func scatterAdd<T: TensorScalar>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, offset: Int, strides: [Int], shape: [Int]) {
        forEachOffset(offset: offset, strides: strides, shape: shape) { o, sInner, inner, out in
            var p = o; for j in 0..<inner { dst[p] += src[out + j]; p += sInner }
        }
    }

    /// dst[offset + Σ idx_k * strides_k] = src[i] (src broadcast by `srcStrides`).
    static func scatterSet<T>(_ src: UnsafePointer<T>, srcStrides: [Int], _ dst: UnsafeMutablePointer<T>, offset: Int, strides: [Int], shape: [Int]) {
        let n = shape.count
        if n == 0 { dst[offset] = src[0]; return }
        var idx = [Int](repeating: 0, count: n)
        let total = shape.reduce(1, *)
        if total == 0 { return }
        for _ in 0..<total {
            var d = offset, s = 0
            for k in 0..<n { d += idx[k] * strides[k]; s += idx[k] * srcStrides[k] }
            dst[d] = src[s]
            var k = n - 1
            while k >= 0 { idx[k] += 1; if idx[k] < shape[k] { break }; idx[k] = 0; k -= 1 }
        }
    }

    /// Calls `body(srcOffset, innerStride, innerCount, dstOffset)` once per innermost row.
    @inline(__always)
    static func forEachOffset(offset: Int, strides: [Int], shape: [Int], _ body: (Int, Int, Int, Int) -> Void) {
        let nd = shape.count
        if nd == 0 { body(offset, 1, 1, 0); return }
        if shape.contains(0) { return }
        let inner = shape[nd - 1], sInner = strides[nd - 1]
        var outer = 1
        for k in 0..<(nd - 1) { outer *= shape[k] }
        var idx = [Int](repeating: 0, count: max(nd - 1, 1))
        var base = offset
        var out = 0
        for _ in 0..<outer {
            body(base, sInner, inner, out)
            out += inner
            var k = nd - 2
            while k >= 0 {
                idx[k] += 1; base += strides[k]
                if idx[k] < shape[k] { break }
                base -= strides[k] * shape[k]; idx[k] = 0; k -= 1
            }
        }
    }
}
