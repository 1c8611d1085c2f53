/// Shape and movement ops: reshape, permute, transpose, squeeze, unsqueeze, flatten (views where the
/// layout allows, as PyTorch), concatenation and padding.
extension Tensor {
    /// The same elements in a new shape; one dimension may be -1. A view when this tensor is contiguous,
    /// else a copy (as PyTorch's `reshape`).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var s = newShape
        let inferred = s.indices.filter { s[$0] == -1 }
        guard inferred.count <= 1, !s.contains(where: { $0 < -1 }) else {
            throw CNNError.shape(
                "invalid shape \(shapeString(newShape)) for reshape: at most one -1 and no other negative sizes")
        }
        if let i = inferred.first {
            var known = 1
            for (j, d) in s.enumerated() where j != i {
                known = try Shape.multiply(known, d, "reshape to \(shapeString(newShape))")
            }
            guard known > 0, count % known == 0 else {
                throw CNNError.shape(
                    "cannot reshape \(shapeString(shape)) (\(count) elements) into \(shapeString(newShape))")
            }
            s[i] = count / known
        }
        let n = try Shape.count(s, "reshape target")
        guard n == count else {
            throw CNNError.shape(
                "cannot reshape \(shapeString(shape)) (\(count) elements) into \(shapeString(newShape)) (\(n) elements)"
            )
        }
        if s == shape { return self }
        let src = try contiguous()
        let out = src.view(shape: s, strides: contiguousStrides(s), offset: src.offset)
        let inShape = shape
        return record(out, .reshape, [src]) { g in [try g.reshaped(inShape)] }
    }

    /// Flattens dimensions `start...end` into one.
    public func flattened(start: Int = 0, end: Int = -1) throws -> Tensor {
        if ndim == 0 { return try reshaped([1]) }
        let s = try normalizeDim(start, ndim), e = try normalizeDim(end, ndim)
        guard s <= e else {
            throw CNNError.value("flatten: start dimension \(start) comes after end dimension \(end) (of \(ndim))")
        }
        let mid = shape[s...e].reduce(1, &*)
        return try reshaped(Array(shape[..<s]) + [mid] + Array(shape[(e + 1)...]))
    }

    /// Reorders dimensions (a view).
    public func permuted(_ order: [Int]) throws -> Tensor {
        guard order.count == ndim else {
            throw CNNError.value("permute needs a permutation of \(ndim) dimensions, got \(order)")
        }
        let o = try order.map { try normalizeDim($0, ndim) }
        guard Set(o).count == ndim else {
            throw CNNError.value("permute needs a permutation of \(ndim) dimensions, got \(order)")
        }
        if o == Array(0..<ndim) { return self }
        let out = view(shape: o.map { shape[$0] }, strides: o.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: o.count)
        for (i, d) in o.enumerated() { inverse[d] = i }
        return record(out, .permute, [self]) { g in [try g.permuted(inverse)] }
    }

    /// Swaps two dimensions (a view).
    public func transposed(_ a: Int = 0, _ b: Int = 1) throws -> Tensor {
        let x = try normalizeDim(a, ndim), y = try normalizeDim(b, ndim)
        var o = Array(0..<ndim)
        o.swapAt(x, y)
        return try permuted(o)
    }

    /// Removes dimensions of size 1 (all, or `dim`) (a view).
    public func squeezed(_ dim: Int? = nil) throws -> Tensor {
        var keep: [Int]
        if let dim {
            let d = try normalizeDim(dim, ndim)
            guard shape[d] == 1 else { return self }
            keep = Array(0..<ndim)
            keep.remove(at: d)
        } else {
            keep = (0..<ndim).filter { shape[$0] != 1 }
        }
        if keep.count == ndim { return self }
        let out = view(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset)
        let inShape = shape
        return record(out, .squeeze, [self]) { g in [try g.reshaped(inShape)] }
    }

    /// Inserts a dimension of size 1 at `dim` (a view).
    public func unsqueezed(_ dim: Int) throws -> Tensor {
        let d = try normalizeDim(dim, ndim + 1)
        var s = shape, st = strides
        s.insert(1, at: d)
        st.insert(d < ndim ? strides[d] * shape[d] : 1, at: d)
        let out = view(shape: s, strides: st, offset: offset)
        return record(out, .unsqueeze, [self]) { g in [try g.squeezed(d)] }
    }

    /// Concatenates tensors along `dim` (shapes must agree elsewhere; types promote).
    public static func concat(_ ts: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = ts.first else { throw CNNError.value("concat needs at least one tensor") }
        let dt = ts.dropFirst().reduce(first.dtype) { DType.promoted($0, $1.dtype) }
        let xs = try ts.map { try $0.to(dt).contiguous() }
        let d = try normalizeDim(dim, first.ndim)
        for (i, t) in xs.enumerated() {
            var a = t.shape, b = first.shape
            guard a.count == b.count else {
                throw CNNError.shape("concat: tensor \(i) has \(a.count) dimensions, tensor 0 has \(b.count)")
            }
            a[d] = 0
            b[d] = 0
            guard a == b else {
                throw CNNError.shape(
                    "concat along dim \(dim): tensor \(i) has shape \(shapeString(t.shape)), tensor 0 has \(shapeString(first.shape))"
                )
            }
        }
        var os = first.shape
        os[d] = try xs.reduce(0) { try Shape.add($0, $1.shape[d], "concat size") }
        let out = try Tensor(shape: os, dtype: dt, zeroed: false)
        let outer = os[..<d].reduce(1, &*), inner = os[(d + 1)...].reduce(1, &*)
        let es = dt.byteSize
        var off = 0
        for t in xs {
            try Cancellation.check()
            let rows = t.shape[d] * inner
            let src = t.storage.raw + t.offset * es
            for o in 0..<outer {
                (out.storage.raw + (o * os[d] * inner + off * inner) * es)
                    .copyMemory(from: src + o * rows * es, byteCount: rows * es)
            }
            off += t.shape[d]
        }
        guard dt.isFloatingPoint else { return out }
        let sizes = xs.map { $0.shape[d] }
        return record(out, .concat, xs) { g in
            var start = 0
            return try sizes.map { n in
                var items = [IndexItem](repeating: .all, count: d)
                items.append(.slice(start: start, stop: start + n, step: 1))
                start += n
                return try g.index(items).contiguous()
            }
        }
    }

    /// Pads (with zeros or `value`) each of the last `amounts.count` dimensions by (before, after).
    public func padded(_ amounts: [(Int, Int)], value: Double = 0) throws -> Tensor {
        guard amounts.count <= ndim else {
            throw CNNError.shape("pad: \(amounts.count) padded dimensions for a tensor with \(ndim)")
        }
        guard amounts.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else {
            throw CNNError.value("pad amounts must be non-negative, got \(amounts.map { [$0.0, $0.1] })")
        }
        let lead = ndim - amounts.count
        var os = shape
        var items = [IndexItem](repeating: .all, count: lead)
        for (k, (b, a)) in amounts.enumerated() {
            os[lead + k] = try Shape.add(try Shape.add(os[lead + k], b, "padded size"), a, "padded size")
            items.append(.slice(start: b, stop: b + shape[lead + k], step: 1))
        }
        _ = try Shape.count(os, "padded shape")
        let out = try Tensor.full(os, value, dtype: dtype)
        let inner = try out.index(items)
        try inner.assign(self)
        let inShape = shape
        return record(out, .pad, [self]) { g in [try g.index(items).contiguous().reshaped(inShape)] }
    }

    /// Zero-pads the last two (spatial) dimensions by `p` on every side, as the lecture's "+pad 1".
    public func padded(spatial p: Int) throws -> Tensor {
        guard ndim >= 2 else {
            throw CNNError.shape("pad(\(p)) needs at least 2 dimensions, got shape \(shapeString(shape))")
        }
        return try padded([(p, p), (p, p)])
    }
}
