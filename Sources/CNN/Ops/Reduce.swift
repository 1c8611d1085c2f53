/// Reductions: sum, mean, var, std, max, min, argmax, argmin, each with `dim(s)` and `keepdim`. Sums are
/// pairwise/blocked (`ReduceKernels`); max and min propagate NaN, as PyTorch's.
extension Tensor {
    /// (outer, n, inner) view of this tensor around dimension `d`.
    func split(at d: Int) -> (Int, Int, Int) {
        let outer = shape[..<d].reduce(1, &*), inner = shape[(d + 1)...].reduce(1, &*)
        return (outer, shape[d], inner)
    }

    /// Sum over one dimension (primitive).
    func sumDim(_ d: Int, keepdim: Bool) throws -> Tensor {
        let x = try contiguous()
        let (outer, n, inner) = split(at: d)
        var os = shape
        if keepdim { os[d] = 1 } else { os.remove(at: d) }
        let out = try Tensor(shape: os, dtype: dtype, zeroed: true)
        switch dtype {
        case .float32: try ReduceKernels.sum(x.data(Float.self), out.data(Float.self), outer: outer, n: n, inner: inner)
        case .float64:
            try ReduceKernels.sum(x.data(Double.self), out.data(Double.self), outer: outer, n: n, inner: inner)
        case .int64: try ReduceKernels.sum(x.data(Int64.self), out.data(Int64.self), outer: outer, n: n, inner: inner)
        }
        guard dtype.isFloatingPoint else { return out }
        let inShape = shape
        var kshape = inShape
        kshape[d] = 1
        // the gradient is the upstream one broadcast back: a view, made contiguous only if a node needs it
        return record(out, .sum, [self]) { g in [try g.reshaped(kshape).expanded(to: inShape)] }
    }

    /// Sum of all elements, or over `dims`.
    public func sum(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dims else {
            // one node on this tensor (not a reshape and a sum): its gradient is the upstream scalar broadcast
            // back as a view, which a leaf accumulates without a full-size copy
            let total = try withNoGrad { try contiguous().reshaped([count]).sumDim(0, keepdim: false) }
            let ones = [Int](repeating: 1, count: ndim)
            let out = keepdim ? try total.reshaped(ones) : total
            guard dtype.isFloatingPoint else { return out }
            let inShape = shape
            return record(out, .sum, [self]) { g in [try g.reshaped(ones).expanded(to: inShape)] }
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

    /// How many elements a reduction over `dims` (all when nil) combines.
    func reducedCount(_ dims: [Int]?) throws -> Int {
        guard let dims else { return count }
        return try Set(dims.map { try normalizeDim($0, ndim) }).reduce(1) { $0 * shape[$1] }
    }

    /// Mean of all elements, or over `dims` (Int64 input computes in Float32). Over no elements it is NaN, as
    /// in PyTorch and NumPy (0 / 0).
    public func mean(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let n = try reducedCount(dims)
        return try floating().sum(dims: dims, keepdim: keepdim) / Double(n)
    }

    public func mean(dim: Int, keepdim: Bool = false) throws -> Tensor { try mean(dims: [dim], keepdim: keepdim) }

    /// Variance, unbiased by default (as `torch.var`), composed of primitives.
    public func variance(dims: [Int]? = nil, keepdim: Bool = false, unbiased: Bool = true) throws -> Tensor {
        let n = try reducedCount(dims)
        // too few elements divide by zero: NaN, as PyTorch's (which also warns)
        let dof = Swift.max(unbiased ? n - 1 : n, 0)
        let x = try floating()
        let m = try x.mean(dims: dims, keepdim: true)
        let d = try x - m
        return try (d * d).sum(dims: dims, keepdim: keepdim) / Double(dof)
    }

    /// Standard deviation (unbiased, as `torch.std`).
    public func std(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        try variance(dims: dims, keepdim: keepdim).sqrt()
    }

    /// Max (or min) over one dimension with the index of the first extreme (row-major ties); NaN wins.
    public func extreme(
        dim: Int, keepdim: Bool = false, max isMax: Bool = true
    ) throws -> (values: Tensor, indices: Tensor) {
        let d = try normalizeDim(dim, ndim)
        let x = try contiguous()
        let (outer, n, inner) = split(at: d)
        guard n > 0 else {
            throw CNNError.value(
                "\(isMax ? "max" : "min") over an empty dimension \(dim) of shape \(shapeString(shape))")
        }
        var os = shape
        if keepdim { os[d] = 1 } else { os.remove(at: d) }
        let out = try Tensor(shape: os, dtype: dtype, zeroed: false)
        let idx = try Tensor(shape: os, dtype: .int64, zeroed: false)
        func run<T: KernelElement>(_: T.Type) throws {
            let xp = x.data(T.self), y = out.data(T.self), ip = idx.data(Int64.self)
            try Parallel.forEach(outer * inner, grain: Swift.max(1, (1 << 15) / n)) { r in
                for j in r {
                    let o = j / inner, i = j % inner
                    let base = xp + o * n * inner + i
                    var best = base[0], bi = 0
                    if !best.isNaNValue {
                        for k in 1..<Swift.max(n, 1) {
                            let v = base[k * inner]
                            if v.isNaNValue {
                                best = v
                                bi = k
                                break
                            }
                            if isMax ? v > best : v < best {
                                best = v
                                bi = k
                            }
                        }
                    }
                    y[j] = best
                    ip[j] = Int64(bi)
                }
            }
        }
        switch dtype {
        case .float32: try run(Float.self)
        case .float64: try run(Double.self)
        case .int64: try run(Int64.self)
        }
        guard dtype.isFloatingPoint else { return (out, idx) }
        let inShape = shape, dt = dtype
        let values = record(out, isMax ? .max : .min, [self], saving: [idx]) { g0 in
            if SupportGradients.isOn {
                var kept = inShape
                kept[d] = 1
                return [try g0.reshaped(kept).expanded(to: inShape).contiguous()]
            }
            let g = try g0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            let ip = idx.data(Int64.self)
            for j in 0..<(outer * inner) {
                let o = j / inner, i = j % inner
                gx.storage.set((o * n + Int(ip[j])) * inner + i, g.storage.get(g.offset + j))
            }
            return [gx]
        }
        return (values, idx)
    }

    /// Max of all elements (the gradient split evenly between tied maxima, as PyTorch's), or over `dim` (the
    /// gradient to the index `extreme` returns).
    public func max(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try extremes(dims: nil, keepdim: keepdim, max: true, nanTies: true) }
        return try extreme(dim: dim, keepdim: keepdim, max: true).values
    }

    /// Min of all elements, or over `dim`.
    public func min(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try extremes(dims: nil, keepdim: keepdim, max: false, nanTies: true) }
        return try extreme(dim: dim, keepdim: keepdim, max: false).values
    }

    /// The largest values over `dims` (all when nil), as `torch.amax`: the gradient is split evenly between the
    /// elements equal to the maximum (NaN where a NaN is the maximum).
    public func amax(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        try extremes(dims: dims, keepdim: keepdim, max: true)
    }

    /// The smallest values over `dims`, as `torch.amin`.
    public func amin(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        try extremes(dims: dims, keepdim: keepdim, max: false)
    }

    /// `amax`/`amin`, and `max()`/`min()` of everything (`nanTies`: a NaN maximum shares the gradient between
    /// the NaNs, as PyTorch's `max()` does; `amax` gives NaN gradients then, as PyTorch's does).
    func extremes(dims: [Int]?, keepdim: Bool, max isMax: Bool, nanTies: Bool = false) throws -> Tensor {
        let reduced = try reducedDims(dims)
        guard reduced.allSatisfy({ shape[$0] > 0 }) else {
            throw CNNError.value(
                "\(isMax ? "max" : "min") over an empty dimension of shape \(shapeString(shape)) has no value")
        }
        // the values, one dimension at a time (kept, so they broadcast against the input)
        var kept = try withNoGrad { () throws -> Tensor in
            var v = self.detach()
            for d in reduced.sorted(by: >) { v = try v.extreme(dim: d, keepdim: true, max: isMax).values }
            return v
        }
        let outShape = keepdim ? kept.shape : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let out = try kept.reshaped(outShape)
        guard dtype.isFloatingPoint else { return out }
        kept = kept.detach()
        let x = self.detach(), inShape = shape, keptShape = kept.shape
        return record(out, isMax ? .amax : .amin, [self], saving: [x]) { g in
            if SupportGradients.isOn { return [try g.reshaped(keptShape).expanded(to: inShape).contiguous()] }
            // each element equal to the extreme gets the gradient divided by how many are equal
            let hit = try withNoGrad { () throws -> Tensor in
                let equal = try x.binary(.eq, kept)
                guard nanTies else { return equal }
                // where the extreme is NaN, the NaNs are its ties
                let nanX = try x.binary(.ne, x), nanKept = try kept.binary(.ne, kept)
                return try Tensor.select(nanKept.expanded(to: inShape), nanX, equal)
            }
            let ties = try hit.sum(dims: reduced, keepdim: true)
            return [try (g.reshaped(keptShape).expanded(to: inShape) * hit / ties)]
        }
    }

    /// The dimensions a reduction over `dims` (all when nil) removes, normalised and without repeats.
    func reducedDims(_ dims: [Int]?) throws -> [Int] {
        guard let dims else { return Array(0..<ndim) }
        var out: [Int] = []
        for d in dims {
            let n = try normalizeDim(d, ndim)
            guard !out.contains(n) else { throw CNNError.value("dim \(d) appears twice in \(dims)") }
            out.append(n)
        }
        return out
    }

    /// Index (Int64) of the first maximum, over all elements (flattened) or along `dim`.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else {
            return try withNoGrad { try contiguous().reshaped([count]).extreme(dim: 0, max: true).indices }
        }
        return try withNoGrad { try extreme(dim: dim, keepdim: keepdim, max: true).indices }
    }

    /// Index (Int64) of the first minimum.
    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else {
            return try withNoGrad { try contiguous().reshaped([count]).extreme(dim: 0, max: false).indices }
        }
        return try withNoGrad { try extreme(dim: dim, keepdim: keepdim, max: false).indices }
    }
}
