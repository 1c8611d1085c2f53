/// Shape and movement ops: reshape, permute, transpose, squeeze, unsqueeze, flatten,
/// numpy indexing and slicing (differentiable), index assignment, concat, pad.

/// One item of a numpy-style index: `x[0]`, `x[1:3]`, `x[::2]`, `x[..., 0]`, `x[None]`.
public enum IndexItem: Sendable, Equatable {
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case ellipsis
    case newAxis
    /// The full slice `:`.
    public static let all = IndexItem.slice(start: nil, stop: nil, step: nil)
}

extension Tensor {
    /// The same elements in a new shape; one dimension may be -1. Shares storage.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var s = newShape
        let known = s.filter { $0 != -1 }.reduce(1, *)
        let infer = s.filter { $0 == -1 }.count
        guard infer <= 1, !s.contains(where: { $0 < -1 }) else {
            throw CNNError.shape("invalid shape \(shapeString(newShape)) for reshape: at most one -1 and no other negative sizes")
        }
        if infer == 1 {
            guard known > 0, count % known == 0 else {
                throw CNNError.shape("cannot reshape \(shapeString(shape)) (\(count) elements) into \(shapeString(newShape))")
            }
            s[s.firstIndex(of: -1)!] = count / known
        }
        guard s.reduce(1, *) == count else {
            throw CNNError.shape("cannot reshape \(shapeString(shape)) (\(count) elements) into \(shapeString(newShape)) (\(s.reduce(1, *)) elements)")
        }
        if s == shape { return self }
        let out = Tensor(shape: s, storage: storage)
        let inShape = shape
        return record(out, "reshape", [self]) { g in [try g.reshaped(inShape)] }
    }

    /// Flattens dimensions `start...end` into one.
    public func flattened(start: Int = 0, end: Int = -1) throws -> Tensor {
        if ndim == 0 { return try reshaped([1]) }
        let s = try normalizeDim(start, ndim), e = try normalizeDim(end, ndim)
        guard s <= e else { return self }
        let mid = shape[s...e].reduce(1, *)
        return try reshaped(Array(shape[..<s]) + [mid] + Array(shape[(e + 1)...]))
    }

    /// Reorders dimensions.
    public func permuted(_ order: [Int]) throws -> Tensor {
        let o = try order.map { try normalizeDim($0, ndim) }
        guard o.count == ndim, Set(o).count == ndim else {
            throw CNNError.value("permute needs a permutation of \(ndim) dimensions, got \(order)")
        }
        if o == Array(0..<ndim) { return self }
        let st = strides
        let newShape = o.map { shape[$0] }
        let out = try Tensor(shape: newShape, dtype: dtype, zeroed: false)
        let srcStrides = o.map { st[$0] }
        if dtype == .float32 { StridedKernels.gather(storage.floats, offset: 0, strides: srcStrides, shape: newShape, out.storage.floats) }
        else { StridedKernels.gather(storage.doubles, offset: 0, strides: srcStrides, shape: newShape, out.storage.doubles) }
        var inverse = [Int](repeating: 0, count: o.count)
        for (i, d) in o.enumerated() { inverse[d] = i }
        return record(out, "permute", [self]) { g in [try g.permuted(inverse)] }
    }

    /// Swaps two dimensions.
    public func transposed(_ a: Int = 0, _ b: Int = 1) throws -> Tensor {
        let x = try normalizeDim(a, ndim), y = try normalizeDim(b, ndim)
        var o = Array(0..<ndim)
        o.swapAt(x, y)
        return try permuted(o)
    }

    /// Removes dimensions of size 1 (all, or `dim`).
    public func squeezed(_ dim: Int? = nil) throws -> Tensor {
        if let dim {
            let d = try normalizeDim(dim, ndim)
            guard shape[d] == 1 else { return self }
            var s = shape; s.remove(at: d)
            return try reshaped(s)
        }
        return try reshaped(shape.filter { $0 != 1 })
    }

    /// Inserts a dimension of size 1 at `dim`.
    public func unsqueezed(_ dim: Int) throws -> Tensor {
        let d = try normalizeDim(dim, ndim + 1)
        var s = shape; s.insert(1, at: d)
        return try reshaped(s)
    }

    /// Resolves an index into (offset, strides, result shape) over this tensor's storage.
    func resolve(_ items: [IndexItem]) throws -> (offset: Int, strides: [Int], shape: [Int]) {
        let consuming = items.filter { if case .newAxis = $0 { return false }; if case .ellipsis = $0 { return false }; return true }.count
        guard items.filter({ $0 == .ellipsis }).count <= 1 else { throw CNNError.index("an index can have only one ellipsis (...)") }
        guard consuming <= ndim else {
            throw CNNError.index("too many indices for a tensor of shape \(shapeString(shape)): \(consuming) given, \(ndim) dimension\(ndim == 1 ? "" : "s")")
        }
        var expanded: [IndexItem] = []
        for it in items {
            if it == .ellipsis { expanded += [IndexItem](repeating: .all, count: ndim - consuming) } else { expanded.append(it) }
        }
        let st = strides
        var offset = 0, outStrides: [Int] = [], outShape: [Int] = []
        var d = 0
        for it in expanded {
            switch it {
            case .newAxis: outStrides.append(0); outShape.append(1)
            case .ellipsis: break
            case .index(let i):
                let n = shape[d]
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else { throw CNNError.index("index \(i) is out of bounds for dimension \(d) with size \(n)") }
                offset += j * st[d]; d += 1
            case .slice(let start, let stop, let step):
                let n = shape[d]
                let stp = step ?? 1
                guard stp != 0 else { throw CNNError.value("slice step cannot be zero") }
                func clampIdx(_ v: Int?, _ def: Int) -> Int {
                    guard var v else { return def }
                    if v < 0 { v += n }
                    return stp > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
                }
                let s0 = clampIdx(start, stp > 0 ? 0 : n - 1)
                let e0 = clampIdx(stop, stp > 0 ? n : -1)
                let len = stp > 0 ? Swift.max(0, (e0 - s0 + stp - 1) / stp) : Swift.max(0, (s0 - e0 - stp - 1) / (-stp))
                if len > 0 { offset += s0 * st[d] }
                outStrides.append(st[d] * stp); outShape.append(len); d += 1
            }
        }
        while d < ndim { outStrides.append(st[d]); outShape.append(shape[d]); d += 1 }
        return (offset, outStrides, outShape)
    }

    /// numpy-style read: `x[items]` (a copy; differentiable).
    public func index(_ items: [IndexItem]) throws -> Tensor {
        let (offset, st, os) = try resolve(items)
        let out = try Tensor(shape: os, dtype: dtype, zeroed: false)
        if dtype == .float32 { StridedKernels.gather(storage.floats, offset: offset, strides: st, shape: os, out.storage.floats) }
        else { StridedKernels.gather(storage.doubles, offset: offset, strides: st, shape: os, out.storage.doubles) }
        let inShape = shape, dt = dtype
        return record(out, "index", [self]) { g in
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            if dt == .float32 { StridedKernels.scatterAdd(g.storage.floats, gx.storage.floats, offset: offset, strides: st, shape: os) }
            else { StridedKernels.scatterAdd(g.storage.doubles, gx.storage.doubles, offset: offset, strides: st, shape: os) }
            return [gx]
        }
    }

    /// numpy-style write, in place: `x[items] = value` (value broadcast). Only for
    /// tensors outside any graph (PyTorch forbids it on leaves that require grad too).
    public func setIndex(_ items: [IndexItem], _ value: Tensor) throws {
        guard !requiresGrad else {
            throw CNNError.value("index assignment on a tensor that requires grad; use x.detach() or set requires_grad = false first")
        }
        let (offset, st, os) = try resolve(items)
        let v = try value.to(dtype)
        let b = try broadcastShapes(v.shape, os)
        guard b == os else {
            throw CNNError.shape("cannot assign a value of shape \(shapeString(v.shape)) to a selection of shape \(shapeString(os))")
        }
        let vs = broadcastStrides(v.shape, to: os)
        if dtype == .float32 { StridedKernels.scatterSet(v.storage.floats, srcStrides: vs, storage.floats, offset: offset, strides: st, shape: os) }
        else { StridedKernels.scatterSet(v.storage.doubles, srcStrides: vs, storage.doubles, offset: offset, strides: st, shape: os) }
    }

    /// Concatenates tensors along `dim` (shapes must agree elsewhere).
    public static func concat(_ ts: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = ts.first else { throw CNNError.value("concat needs at least one tensor") }
        let dt = ts.contains { $0.dtype == .float64 } ? DType.float64 : .float32
        let xs = try ts.map { try $0.to(dt) }
        let d = try normalizeDim(dim, first.ndim)
        for (i, t) in xs.enumerated() {
            var a = t.shape, b = first.shape
            guard a.count == b.count else {
                throw CNNError.shape("concat: tensor \(i) has \(a.count) dimensions, tensor 0 has \(b.count)")
            }
            a[d] = 0; b[d] = 0
            guard a == b else {
                throw CNNError.shape("concat along dim \(dim): tensor \(i) has shape \(shapeString(t.shape)), tensor 0 has \(shapeString(first.shape))")
            }
        }
        var os = first.shape
        os[d] = xs.reduce(0) { $0 + $1.shape[d] }
        let out = try Tensor(shape: os, dtype: dt, zeroed: false)
        let outer = os[..<d].reduce(1, *), inner = os[(d + 1)...].reduce(1, *)
        let es = dt.byteSize
        var off = 0
        for t in xs {
            let rows = t.shape[d] * inner
            for o in 0..<outer {
                (out.storage.raw + (o * os[d] * inner + off * inner) * es)
                    .copyMemory(from: t.storage.raw + o * rows * es, byteCount: rows * es)
            }
            off += t.shape[d]
        }
        let sizes = xs.map { $0.shape[d] }
        return record(out, "concat", xs) { g in
            var start = 0
            return try sizes.map { n in
                var items = [IndexItem](repeating: .all, count: d)
                items.append(.slice(start: start, stop: start + n, step: 1))
                start += n
                return try g.index(items)
            }
        }
    }

    /// Zero-pads (or pads with `value`) each dimension by (before, after) amounts; the
    /// list covers the last `amounts.count` dimensions.
    public func padded(_ amounts: [(Int, Int)], value: Double = 0) throws -> Tensor {
        guard amounts.count <= ndim else {
            throw CNNError.shape("pad: \(amounts.count) padded dimensions for a tensor with \(ndim)")
        }
        guard amounts.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else { throw CNNError.value("pad amounts must be non-negative") }
        let lead = ndim - amounts.count
        var os = shape
        var items = [IndexItem](repeating: .all, count: lead)
        for (k, (b, a)) in amounts.enumerated() {
            os[lead + k] += b + a
            items.append(.slice(start: b, stop: b + shape[lead + k], step: 1))
        }
        let out = try Tensor(shape: os, dtype: dtype, zeroed: value == 0)
        if value != 0 { out.filled(value) }
        let (offset, st, sh) = try out.resolve(items)
        if dtype == .float32 { StridedKernels.scatterSet(storage.floats, srcStrides: strides, out.storage.floats, offset: offset, strides: st, shape: sh) }
        else { StridedKernels.scatterSet(storage.doubles, srcStrides: strides, out.storage.doubles, offset: offset, strides: st, shape: sh) }
        return record(out, "pad", [self]) { g in [try g.index(items)] }
    }

    /// Zero-pads the last two (spatial) dimensions by `p` on every side, as the lecture's "+pad 1".
    public func padded(spatial p: Int) throws -> Tensor {
        guard ndim >= 2 else { throw CNNError.shape("pad(\(p)) needs at least 2 dimensions, got shape \(shapeString(shape))") }
        return try padded([(p, p), (p, p)])
    }
}
