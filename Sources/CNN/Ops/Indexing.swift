/// NumPy indexing: integers, slices, `...` and new axes give views (so writes through them reach the
/// original, as in NumPy and PyTorch); integer tensors and masks gather copies, whose backward scatters and
/// adds (repeated indices accumulate). Index assignment writes in place, broadcasting the value.

/// One item of a NumPy-style index: `x[0]`, `x[1:3]`, `x[::2]`, `x[..., 0]`, `x[nil]`, `x[idx]`, `x[mask]`.
public enum IndexItem: @unchecked Sendable {  // tensors in .array/.mask stay on the interpreter thread
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case ellipsis
    case newAxis
    /// Integer indices (an Int64 tensor, or whole numbers) of any shape, into one dimension.
    case array(Tensor)
    /// A mask over the next `mask.ndim` dimensions: the positions where it is nonzero.
    case mask(Tensor)

    /// The full slice `:`.
    public static let all = IndexItem.slice(start: nil, stop: nil, step: nil)

    var isBasic: Bool {
        switch self {
        case .array, .mask: false
        default: true
        }
    }

    var isEllipsis: Bool {
        if case .ellipsis = self { return true }
        return false
    }

    /// How many dimensions of the indexed tensor this item consumes.
    var consumed: Int {
        switch self {
        case .newAxis, .ellipsis: 0
        case .mask(let m): Swift.max(m.ndim, 1)
        default: 1
        }
    }
}

/// A basic index resolved against a tensor: the view's geometry in storage terms and in the terms of the
/// tensor's own row-major layout (for scattering gradients back).
struct BasicSelection {
    var shape: [Int] = []
    var storageStrides: [Int] = []
    var storageOffset: Int
    var logicalStrides: [Int] = []
    var logicalOffset = 0
}

extension Tensor {
    /// Replaces `...` with full slices.
    func expandEllipsis(_ items: [IndexItem]) throws -> [IndexItem] {
        guard items.filter(\.isEllipsis).count <= 1 else {
            throw CNNError.index("an index can have only one ellipsis (...)")
        }
        let consuming = items.reduce(0) { $0 + $1.consumed }
        guard consuming <= ndim else {
            throw CNNError.index(
                "too many indices for a tensor of shape \(shapeString(shape)): \(consuming) given, "
                    + "\(ndim) dimension\(ndim == 1 ? "" : "s")")
        }
        var out: [IndexItem] = []
        for it in items {
            if it.isEllipsis { out += [IndexItem](repeating: .all, count: ndim - consuming) } else { out.append(it) }
        }
        return out
    }

    /// The selection made by basic items (no arrays or masks).
    func resolveBasic(_ items: [IndexItem]) throws -> BasicSelection {
        let logical = contiguousStrides(shape)
        var sel = BasicSelection(storageOffset: offset)
        var d = 0
        for it in try expandEllipsis(items) {
            switch it {
            case .newAxis:
                sel.shape.append(1)
                sel.storageStrides.append(0)
                sel.logicalStrides.append(0)
            case .index(let i):
                let n = shape[d]
                let j = i < 0 ? i &+ n : i
                guard j >= 0 && j < n else {
                    throw CNNError.index("index \(i) is out of bounds for dimension \(d) with size \(n)")
                }
                sel.storageOffset &+= j &* strides[d]
                sel.logicalOffset &+= j &* logical[d]
                d += 1
            case .slice(let start, let stop, let step):
                let n = shape[d]
                let stp = step ?? 1
                guard stp != 0 else { throw CNNError.value("slice step cannot be zero") }
                guard stp != Int.min else { throw CNNError.value("slice step \(stp) is too large") }
                func clampIdx(_ v: Int?, _ def: Int) -> Int {
                    guard var v else { return def }
                    if v < 0 { v = v <= Int.min / 2 ? -1 : v + n }
                    return stp > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
                }
                let s0 = clampIdx(start, stp > 0 ? 0 : n - 1)
                let e0 = clampIdx(stop, stp > 0 ? n : -1)
                let span = stp > 0 ? e0 - s0 : s0 - e0
                let len = span <= 0 ? 0 : (span - 1) / Swift.abs(stp) + 1
                if len > 0 {
                    sel.storageOffset &+= s0 &* strides[d]
                    sel.logicalOffset &+= s0 &* logical[d]
                }
                sel.shape.append(len)
                sel.storageStrides.append(strides[d] &* stp)
                sel.logicalStrides.append(logical[d] &* stp)
                d += 1
            case .ellipsis, .array, .mask:
                throw CNNError.index("internal: a non-basic index item in a basic selection")
            }
        }
        while d < ndim {
            sel.shape.append(shape[d])
            sel.storageStrides.append(strides[d])
            sel.logicalStrides.append(logical[d])
            d += 1
        }
        return sel
    }

    /// `x[items]`: a view for basic items, a gathered copy when an integer tensor or mask is among them
    /// (differentiable either way).
    public func index(_ items: [IndexItem]) throws -> Tensor {
        if items.contains(where: { !$0.isBasic }) { return try gather(items) }
        let sel = try resolveBasic(items)
        let out = view(shape: sel.shape, strides: sel.storageStrides, offset: sel.storageOffset)
        let inShape = shape, dt = dtype
        return record(out, .index, [self]) { g0 in
            let g = try g0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            try Tensor.scatterAdd(g, into: gx, offset: sel.logicalOffset, strides: sel.logicalStrides, shape: sel.shape)
            return [gx]
        }
    }

    /// gx[offset + Σ idx·strides] += g[idx] (contiguous g and gx of one floating type).
    static func scatterAdd(_ g: Tensor, into gx: Tensor, offset: Int, strides: [Int], shape: [Int]) throws {
        switch gx.dtype {
        case .float32:
            try StridedKernels.scatterAdd(
                g.data(Float.self), gx.data(Float.self) + offset, strides: strides, shape: shape)
        case .float64:
            try StridedKernels.scatterAdd(
                g.data(Double.self), gx.data(Double.self) + offset, strides: strides, shape: shape)
        case .int64:
            try StridedKernels.scatterAdd(
                g.data(Int64.self), gx.data(Int64.self) + offset, strides: strides, shape: shape)
        }
    }

    /// `x[items] = value`, in place: the value broadcasts to the selection (a `[1, 3]` value fills a `[3]`
    /// selection, as in NumPy). Refused on read-only tensors and tensors autograd tracks.
    public func setIndex(_ items: [IndexItem], _ value: Tensor) throws {
        try checkWritable()
        if items.contains(where: { !$0.isBasic }) {
            try scatterSet(items, value)
            return
        }
        let sel = try resolveBasic(items)
        let target = view(shape: sel.shape, strides: sel.storageStrides, offset: sel.storageOffset)
        try target.assign(value)
    }

    /// Writes `value` (broadcast) into every element of this tensor or view, in place.
    public func assign(_ value: Tensor) throws {
        try checkWritable()
        var v = try withNoGrad { try value.to(dtype) }
        // NumPy drops leading 1s of the value's shape that the target lacks: [1, 3] into [3]
        while v.ndim > ndim, v.shape.first == 1 { v = try withNoGrad { try v.squeezed(0) } }
        let b = try broadcastShapes(v.shape, shape)
        guard b == shape else {
            throw CNNError.shape(
                "cannot assign a value of shape \(shapeString(value.shape)) to a selection of shape \(shapeString(shape))"
            )
        }
        // a value that shares storage with the target is copied first
        if v.storage === storage { v = try v.clone() }
        let vs2 = broadcastStrides(v.shape, v.strides, to: shape)
        switch dtype {
        case .float32:
            try StridedKernels.copy(
                v.data(Float.self), srcStrides: vs2, data(Float.self), dstStrides: strides, shape: shape)
        case .float64:
            try StridedKernels.copy(
                v.data(Double.self), srcStrides: vs2, data(Double.self), dstStrides: strides, shape: shape)
        case .int64:
            try StridedKernels.copy(
                v.data(Int64.self), srcStrides: vs2, data(Int64.self), dstStrides: strides, shape: shape)
        }
        storage.bump()
    }

    /// `x[items] op= value` in place: the selection is updated element by element, without a copy of it
    /// (basic items); integer-tensor and mask selections read, combine and write back.
    public func updateIndex(_ items: [IndexItem], _ op: BinaryOp, _ value: Tensor) throws {
        try checkWritable()
        if items.contains(where: { !$0.isBasic }) {
            let current = try withNoGrad { try index(items) }
            try scatterSet(items, try withNoGrad { try current.binary(op, value) })
            return
        }
        let sel = try resolveBasic(items)
        let target = view(shape: sel.shape, strides: sel.storageStrides, offset: sel.storageOffset)
        let (ct, rt) = Tensor.binaryTypes(op, dtype, value.dtype)
        guard rt == dtype, ct == dtype else {
            // the result has another type (an Int64 tensor updated with a float): compute, then write back
            try target.assign(try withNoGrad { try target.binary(op, value) })
            return
        }
        var v = try withNoGrad { try value.to(dtype) }
        while v.ndim > target.ndim, v.shape.first == 1 { v = try withNoGrad { try v.squeezed(0) } }
        let b = try broadcastShapes(v.shape, target.shape)
        guard b == target.shape else {
            throw CNNError.shape(
                "cannot combine a value of shape \(shapeString(value.shape)) with a selection of shape \(shapeString(target.shape))"
            )
        }
        if v.storage === storage { v = try v.clone() }
        let vs = broadcastStrides(v.shape, v.strides, to: target.shape)
        switch dtype {
        case .float32: try Tensor.combine(op, Float.self, target, v, vs)
        case .float64: try Tensor.combine(op, Double.self, target, v, vs)
        case .int64:
            let t = target.data(Int64.self), p = v.data(Int64.self)
            try StridedKernels.forEachPair(target.shape, target.strides, vs) { i, j in
                t[i] = Tensor.intOp(op, t[i], p[j])
            }
        }
        storage.bump()
    }

    static func combine<T: TensorScalar & KernelElement>(
        _ op: BinaryOp, _: T.Type, _ target: Tensor, _ v: Tensor, _ vs: [Int]
    ) throws {
        if target.isContiguous && !op.isComparison {
            // the whole target in row-major order: the parallel broadcasting kernel, writing where it reads
            // (each element depends only on itself, so in place is safe)
            try Tensor.floatKernel(op, T.self, target, target.strides, v, vs, target, target.shape)
            return
        }
        let t = target.data(T.self), p = v.data(T.self)
        try StridedKernels.forEachPair(target.shape, target.strides, vs) { i, j in
            let a = t[i], b = p[j]
            switch op {
            case .add: t[i] = a + b
            case .sub: t[i] = a - b
            case .mul: t[i] = a * b
            case .div: t[i] = a / b
            case .pow: t[i] = PowFn.apply(a, b)
            case .remainder: t[i] = T.remainder(a, b)
            case .maximum: t[i] = MaxFn.apply(a, b)
            case .minimum: t[i] = MinFn.apply(a, b)
            default: t[i] = a
            }
        }
    }

    static func intOp(_ op: BinaryOp, _ a: Int64, _ b: Int64) -> Int64 {
        switch op {
        case .add: a &+ b
        case .sub: a &- b
        case .mul: a &* b
        case .remainder: Int64.remainder(a, b)
        case .maximum: Swift.max(a, b)
        case .minimum: Swift.min(a, b)
        default: a
        }
    }
}

extension StridedKernels {
    /// Calls `body(targetIndex, sourceIndex)` for every multi-index of `shape`, with two stride sets
    /// (interruptible between blocks).
    static func forEachPair(_ shape: [Int], _ st: [Int], _ ss: [Int], _ body: (Int, Int) -> Void) throws {
        let nd = shape.count
        if nd == 0 {
            body(0, 0)
            return
        }
        let total = shape.reduce(1, &*)
        if total == 0 { return }
        var idx = [Int](repeating: 0, count: nd)
        var t = 0, s = 0
        let token = Cancellation.current
        for e in 0..<total {
            if e % checkEvery == checkEvery - 1 { try Cancellation.check(token) }
            body(t, s)
            var k = nd - 1
            while k >= 0 {
                idx[k] += 1
                t &+= st[k]
                s &+= ss[k]
                if idx[k] < shape[k] { break }
                t &-= st[k] &* shape[k]
                s &-= ss[k] &* shape[k]
                idx[k] = 0
                k -= 1
            }
        }
    }
}
