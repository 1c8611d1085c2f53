/// Reductions: sum, mean, max, min, argmax, std, each with `dim` and `keepdim`.
extension Tensor {
    /// (outer, n, inner) view of this tensor around dimension `d`.
    func split(at d: Int) -> (Int, Int, Int) {
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        return (outer, shape[d], inner)
    }

    /// Sum over one dimension (primitive).
    func sumDim(_ d: Int, keepdim: Bool) throws -> Tensor {
        let (outer, n, inner) = split(at: d)
        var os = shape
        if keepdim { os[d] = 1 } else { os.remove(at: d) }
        let out = try Tensor(shape: os, dtype: dtype, zeroed: true)
        func run<T: TensorScalar>(_: T.Type) {
            let x = storage.pointer(T.self), y = out.storage.pointer(T.self)
            for o in 0..<outer {
                let yb = y + o * inner
                for k in 0..<n {
                    let xb = x + (o * n + k) * inner
                    for i in 0..<inner { yb[i] += xb[i] }
                }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let inShape = shape
        var kshape = inShape; kshape[d] = 1
        return record(out, "sum", [self]) { g in [try g.reshaped(kshape).expanded(to: inShape)] }
    }

    /// Sum of all elements, or over `dims`.
    public func sum(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dims else {
            let flat = try reshaped([count])
            let s = try flat.sumDim(0, keepdim: false)
            return keepdim ? try s.reshaped([Int](repeating: 1, count: ndim)) : s
        }
        let ds = try Set(dims.map { try normalizeDim($0, ndim) }).sorted(by: >)
        var t = self
        for d in ds { t = try t.sumDim(d, keepdim: true) }
        if keepdim { return t }
        var os = shape
        for d in ds { os.remove(at: d) }
        return try t.reshaped(os)
    }
    public func sum(dim: Int, keepdim: Bool = false) throws -> Tensor { try sum(dims: [dim], keepdim: keepdim) }

    /// Mean of all elements, or over `dims`.
    public func mean(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let n: Int
        if let dims { n = try Set(dims.map { try normalizeDim($0, ndim) }).reduce(1) { $0 * shape[$1] } } else { n = count }
        guard n > 0 else { throw CNNError.value("mean of an empty tensor (shape \(shapeString(shape)))") }
        return try sum(dims: dims, keepdim: keepdim) / Double(n)
    }
    public func mean(dim: Int, keepdim: Bool = false) throws -> Tensor { try mean(dims: [dim], keepdim: keepdim) }

    /// Standard deviation (unbiased, as `torch.std`), composed of primitives.
    public func std(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let n: Int
        if let dims { n = try Set(dims.map { try normalizeDim($0, ndim) }).reduce(1) { $0 * shape[$1] } } else { n = count }
        guard n > 1 else { throw CNNError.value("std needs at least 2 elements, got \(n)") }
        let m = try mean(dims: dims, keepdim: true)
        let d = try self - m
        return try ((d * d).sum(dims: dims, keepdim: keepdim) / Double(n - 1)).sqrt()
    }

    /// Max (or min) over one dimension with the index of the first extreme (row-major ties).
    public func extreme(dim: Int, keepdim: Bool = false, max isMax: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        let d = try normalizeDim(dim, ndim)
        let (outer, n, inner) = split(at: d)
        guard n > 0 else { throw CNNError.value("\(isMax ? "max" : "min") over an empty dimension \(dim) of shape \(shapeString(shape))") }
        var os = shape
        if keepdim { os[d] = 1 } else { os.remove(at: d) }
        let out = try Tensor(shape: os, dtype: dtype, zeroed: false)
        let idx = try Tensor(shape: os, dtype: dtype, zeroed: false)
        var arg = [Int32](repeating: 0, count: outer * inner)
        func run<T: TensorScalar>(_: T.Type) {
            let x = storage.pointer(T.self), y = out.storage.pointer(T.self), ip = idx.storage.pointer(T.self)
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o * n * inner + i], bi = 0
                    for k in 1..<Swift.max(n, 1) {
                        let v = x[(o * n + k) * inner + i]
                        if isMax ? (v > best || (v.isNaN && !best.isNaN)) : (v < best || (v.isNaN && !best.isNaN)) { best = v; bi = k }
                    }
                    y[o * inner + i] = best; ip[o * inner + i] = T(bi); arg[o * inner + i] = Int32(bi)
                }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let inShape = shape, dt = dtype
        let values = record(out, isMax ? "max" : "min", [self]) { g in
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            for o in 0..<outer { for i in 0..<inner {
                let k = Int(arg[o * inner + i])
                gx.storage.set((o * n + k) * inner + i, g.storage.get(o * inner + i))
            } }
            return [gx]
        }
        return (values, idx)
    }

    /// Max of all elements, or over `dim`.
    public func max(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else {
            let r = try reshaped([count]).extreme(dim: 0, max: true).values
            return keepdim ? try r.reshaped([Int](repeating: 1, count: ndim)) : r
        }
        return try extreme(dim: dim, keepdim: keepdim, max: true).values
    }
    /// Min of all elements, or over `dim`.
    public func min(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else {
            let r = try reshaped([count]).extreme(dim: 0, max: false).values
            return keepdim ? try r.reshaped([Int](repeating: 1, count: ndim)) : r
        }
        return try extreme(dim: dim, keepdim: keepdim, max: false).values
    }
    /// Index of the (first) maximum, over all elements (flattened) or along `dim`.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try withNoGrad { try reshaped([count]).extreme(dim: 0, max: true).indices } }
        return try withNoGrad { try extreme(dim: dim, keepdim: keepdim, max: true).indices }
    }
    /// Index of the (first) minimum.
    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try withNoGrad { try reshaped([count]).extreme(dim: 0, max: false).indices } }
        return try withNoGrad { try extreme(dim: dim, keepdim: keepdim, max: false).indices }
    }
}
