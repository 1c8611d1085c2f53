/// Indexing with integer tensors and masks (NumPy's "advanced" indexing): the index arrays broadcast
/// together; their dimensions replace the indexed ones in place when they are adjacent, else they come
/// first. The result is a copy; its backward scatters and adds, so repeated indices accumulate.

/// Where the elements of an advanced selection are, as three nested runs: the dimensions before the
/// indexed ones, the broadcast index arrays, and the dimensions after (offsets in storage and in the
/// tensor's own row-major layout).
struct GatherPlan {
    var shape: [Int]
    var pre: [Int], preLogical: [Int]
    var arrays: [Int], arraysLogical: [Int]
    var post: [Int], postLogical: [Int]
    var count: Int { pre.count * arrays.count * post.count }

    /// Calls `body(outputIndex, storageIndex, logicalIndex)` for every element, in output order.
    func forEach(_ body: (Int, Int, Int) -> Void) throws {
        var o = 0
        let token = Cancellation.current
        for i in pre.indices {
            try Cancellation.check(token)
            for b in arrays.indices {
                let s0 = pre[i] &+ arrays[b], l0 = preLogical[i] &+ arraysLogical[b]
                for j in post.indices {
                    body(o, s0 &+ post[j], l0 &+ postLogical[j])
                    o &+= 1
                }
            }
        }
    }
}

extension Tensor {
    /// The integer values of an index array (Int64, or floats that are whole numbers).
    func indexValues(_ what: String) throws -> [Int] {
        if dtype == .int64 {
            var out: [Int] = []
            out.reserveCapacity(count)
            forEachStorageIndex { out.append(storage.getInt($0)) }
            return out
        }
        var out: [Int] = []
        out.reserveCapacity(count)
        for v in values { out.append(try Shape.integer(v, what, exact: true)) }
        return out
    }

    /// Row-major offsets of every multi-index of `sizes` with `strides`.
    static func offsets(_ sizes: [Int], _ strides: [Int]) -> [Int] {
        var out = [0]
        for (n, st) in zip(sizes, strides) {
            var next: [Int] = []
            next.reserveCapacity(out.count * n)
            for o in out { for i in 0..<n { next.append(o &+ i &* st) } }
            out = next
        }
        return out
    }

    /// Resolves an index with integer tensors or masks.
    func gatherPlan(_ items0: [IndexItem]) throws -> GatherPlan {
        var items: [IndexItem] = []
        var d = 0
        // masks become one index array per dimension they cover (the positions where they are nonzero)
        for it in try expandEllipsis(items0) {
            guard case .mask(let m) = it else {
                if it.consumed == 1 { d += 1 }
                items.append(it)
                continue
            }
            let k = Swift.max(m.ndim, 1)
            let covered = Array(shape[d..<Swift.min(ndim, d + k)])
            guard m.ndim >= 1, m.shape == covered else {
                throw CNNError.index(
                    "a mask of shape \(shapeString(m.shape)) cannot index dimensions of shape \(shapeString(covered)) "
                        + "(tensor shape \(shapeString(shape)))")
            }
            let mv = m.values
            let ms = contiguousStrides(m.shape)
            var coords = [[Double]](repeating: [], count: k)
            for (flat, v) in mv.enumerated() where v != 0 {
                var r = flat
                for j in 0..<k {
                    coords[j].append(Double(r / ms[j]))
                    r %= ms[j]
                }
            }
            for j in 0..<k {
                items.append(.array(try Tensor(coords[j], shape: [coords[j].count], dtype: .int64)))
            }
            d += k
        }
        // basic items with the arrays kept as full dimensions, and where each array lands in the view
        var basic: [IndexItem] = []
        var arrayPositions: [Int] = []
        var arrayTensors: [Tensor] = []
        var viewDim = 0
        for it in items {
            switch it {
            case .array(let t):
                arrayPositions.append(viewDim)
                arrayTensors.append(t)
                basic.append(.all)
                viewDim += 1
            case .index:
                basic.append(it)
            default:
                basic.append(it)
                viewDim += 1
            }
        }
        let sel = try resolveBasic(basic)
        // broadcast the index arrays together and check them against their dimensions
        var bshape: [Int] = []
        for t in arrayTensors { bshape = try broadcastShapes(bshape, t.shape) }
        let bcount = try Shape.count(bshape, "index arrays")
        try MemoryBudget.current.check(bcount * 16, "the positions of an indexed selection")
        var arrays = [Int](repeating: sel.storageOffset, count: bcount)
        var arraysLogical = [Int](repeating: sel.logicalOffset, count: bcount)
        for (t, p) in zip(arrayTensors, arrayPositions) {
            let vals = try t.indexValues("an index")
            let n = sel.shape[p]
            let bst = broadcastStrides(t.shape, contiguousStrides(t.shape), to: bshape)
            let pos = Tensor.offsets(bshape, bst)
            for b in 0..<bcount {
                var i = vals[pos[b]]
                if i < 0 { i &+= n }
                guard i >= 0 && i < n else {
                    throw CNNError.index("index \(vals[pos[b]]) is out of bounds for dimension \(p) with size \(n)")
                }
                arrays[b] &+= i &* sel.storageStrides[p]
                arraysLogical[b] &+= i &* sel.logicalStrides[p]
            }
        }
        var adjacent = true
        if let first = arrayPositions.first, let last = arrayPositions.last {
            adjacent = last - first == arrayPositions.count - 1
        }
        let rest = (0..<sel.shape.count).filter { !arrayPositions.contains($0) }
        let preDims = adjacent ? rest.filter { $0 < arrayPositions.first ?? 0 } : []
        let postDims = adjacent ? rest.filter { $0 > arrayPositions.last ?? -1 } : rest
        let resultShape = preDims.map { sel.shape[$0] } + bshape + postDims.map { sel.shape[$0] }
        let total = try Shape.count(resultShape, "indexed selection")
        try MemoryBudget.current.check(total * 8, "an indexed selection")
        return GatherPlan(
            shape: resultShape,
            pre: Tensor.offsets(preDims.map { sel.shape[$0] }, preDims.map { sel.storageStrides[$0] }),
            preLogical: Tensor.offsets(preDims.map { sel.shape[$0] }, preDims.map { sel.logicalStrides[$0] }),
            arrays: arrays, arraysLogical: arraysLogical,
            post: Tensor.offsets(postDims.map { sel.shape[$0] }, postDims.map { sel.storageStrides[$0] }),
            postLogical: Tensor.offsets(postDims.map { sel.shape[$0] }, postDims.map { sel.logicalStrides[$0] }))
    }

    /// `x[idx]`, `x[mask]`, `x[arange(N), y]`: a gathered copy (differentiable).
    func gather(_ items: [IndexItem]) throws -> Tensor {
        let plan = try gatherPlan(items)
        let out = try Tensor(shape: plan.shape, dtype: dtype, zeroed: false)
        let src = storage, dst = out.storage
        switch dtype {
        case .float32:
            let s = src.pointer(Float.self), o = dst.pointer(Float.self)
            try plan.forEach { i, p, _ in o[i] = s[p] }
        case .float64:
            let s = src.pointer(Double.self), o = dst.pointer(Double.self)
            try plan.forEach { i, p, _ in o[i] = s[p] }
        case .int64:
            let s = src.pointer(Int64.self), o = dst.pointer(Int64.self)
            try plan.forEach { i, p, _ in o[i] = s[p] }
        }
        let inShape = shape, dt = dtype
        return record(out, .gather, [self]) { g0 in
            let g = try g0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            if dt == .float32 {
                let gp = g.data(Float.self), xp = gx.data(Float.self)
                try plan.forEach { i, _, l in xp[l] += gp[i] }
            } else {
                let gp = g.data(Double.self), xp = gx.data(Double.self)
                try plan.forEach { i, _, l in xp[l] += gp[i] }
            }
            return [gx]
        }
    }

    /// `x[idx] = v`, `x[mask] = v`: writes `value` (broadcast to the selection) in place; with repeated
    /// indices the last write wins, as in NumPy.
    func scatterSet(_ items: [IndexItem], _ value: Tensor) throws {
        let plan = try gatherPlan(items)
        var v = try withNoGrad { try value.to(dtype) }
        while v.ndim > plan.shape.count, v.shape.first == 1 { v = try withNoGrad { try v.squeezed(0) } }
        guard try broadcastShapes(v.shape, plan.shape) == plan.shape else {
            throw CNNError.shape(
                "cannot assign a value of shape \(shapeString(value.shape)) to a selection of shape \(shapeString(plan.shape))"
            )
        }
        let flat = try withNoGrad { try v.expanded(to: plan.shape).clone() }
        switch dtype {
        case .float32:
            let s = flat.data(Float.self), o = storage.pointer(Float.self)
            try plan.forEach { i, p, _ in o[p] = s[i] }
        case .float64:
            let s = flat.data(Double.self), o = storage.pointer(Double.self)
            try plan.forEach { i, p, _ in o[p] = s[i] }
        case .int64:
            let s = flat.data(Int64.self), o = storage.pointer(Int64.self)
            try plan.forEach { i, p, _ in o[p] = s[i] }
        }
        storage.bump()
    }
}
