/// Matrix products through BLAS GEMM (tiled across cores, interruptible), forward and backward together.
extension Tensor {
    /// A contiguous matrix to hand BLAS, or this transposed view's contiguous original with a flag.
    func blasOperand() throws -> (Tensor, transposed: Bool) {
        if isContiguous { return (self, false) }
        if ndim == 2, strides[0] == 1, strides[1] == shape[0] {
            return (view(shape: [shape[1], shape[0]], strides: [shape[0], 1], offset: offset), true)
        }
        return (try contiguous(), false)
    }

    /// 2-D product `op(self) @ op(other)` with optional transposes (primitive).
    public func mm(_ other: Tensor, transA: Bool = false, transB: Bool = false) throws -> Tensor {
        let dt = DType.floating(dtype, other.dtype)
        if dtype != dt || other.dtype != dt {
            return try to(dt).mm(other.to(dt), transA: transA, transB: transB)
        }
        guard ndim == 2, other.ndim == 2 else {
            throw CNNError.shape("mm needs 2-D tensors, got \(shapeString(shape)) and \(shapeString(other.shape))")
        }
        let m = transA ? shape[1] : shape[0], k = transA ? shape[0] : shape[1]
        let k2 = transB ? other.shape[1] : other.shape[0], n = transB ? other.shape[0] : other.shape[1]
        guard k == k2 else {
            throw CNNError.shape(
                "matmul: inner dimensions differ: \(shapeString(shape))\(transA ? "ᵀ" : "") @ "
                    + "\(shapeString(other.shape))\(transB ? "ᵀ" : "") (\(k) vs \(k2))")
        }
        let out = try Tensor(shape: [m, n], dtype: dt, zeroed: k == 0)
        if m > 0 && n > 0 && k > 0 {
            let (a, ta) = try blasOperand(), (b, tb) = try other.blasOperand()
            func run<T: TensorScalar>(_: T.Type) throws {
                try T.gemm(
                    transA: transA != ta, transB: transB != tb, m: m, n: n, k: k, alpha: 1,
                    a: a.data(T.self), lda: a.shape[1], b: b.data(T.self), ldb: b.shape[1],
                    beta: 0, c: out.data(T.self), ldc: n)
            }
            if dt == .float32 { try run(Float.self) } else { try run(Double.self) }
        }
        let a = self, b = other
        return record(out, .matmul, [a, b], saving: [a, b]) { g in
            // C = op(A) op(B):  dA = g op(B)ᵀ (transposed back if A was), dB likewise.
            let ga: Tensor? =
                a.requiresGrad
                ? (transA ? try b.mm(g, transA: transB, transB: true) : try g.mm(b, transB: !transB)) : nil
            let gb: Tensor? =
                b.requiresGrad
                ? (transB ? try g.mm(a, transA: true, transB: transA) : try a.mm(g, transA: !transA)) : nil
            return [ga, gb]
        }
    }

    /// Batched product of [b, m, k] and [b, k, n] (with each operand's last two dimensions transposed when
    /// asked), one GEMM per batch, as `torch.bmm` (primitive).
    public func bmm(_ other: Tensor, transA: Bool = false, transB: Bool = false) throws -> Tensor {
        let dt = DType.floating(dtype, other.dtype)
        if dtype != dt || other.dtype != dt {
            return try to(dt).bmm(other.to(dt), transA: transA, transB: transB)
        }
        guard ndim == 3, other.ndim == 3, shape[0] == other.shape[0] else {
            throw CNNError.shape(
                "bmm needs two 3-D tensors with the same batch size, got \(shapeString(shape)) and "
                    + "\(shapeString(other.shape))")
        }
        let nb = shape[0]
        let m = transA ? shape[2] : shape[1], k = transA ? shape[1] : shape[2]
        let k2 = transB ? other.shape[2] : other.shape[1], n = transB ? other.shape[1] : other.shape[2]
        guard k == k2 else {
            throw CNNError.shape(
                "bmm: inner dimensions differ: \(shapeString(shape)) @ \(shapeString(other.shape)) (\(k) vs \(k2))")
        }
        let a = try contiguous(), b = try other.contiguous()
        let out = try Tensor(shape: [nb, m, n], dtype: dt, zeroed: k == 0)
        if nb > 0 && m > 0 && n > 0 && k > 0 {
            let (sa, sb, sc) = (a.shape[1] * a.shape[2], b.shape[1] * b.shape[2], m * n)
            func run<T: TensorScalar>(_: T.Type) throws {
                let (pa, pb, pc) = (a.data(T.self), b.data(T.self), out.data(T.self))
                for i in 0..<nb {
                    try T.gemm(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: pa + i * sa, lda: a.shape[2],
                        b: pb + i * sb, ldb: b.shape[2], beta: 0, c: pc + i * sc, ldc: n)
                }
            }
            if dt == .float32 { try run(Float.self) } else { try run(Double.self) }
        }
        let (x, y) = (self, other)
        return record(out, .bmm, [x, y], saving: [x, y]) { g in
            let ga: Tensor? =
                x.requiresGrad
                ? (transA ? try y.bmm(g, transA: transB, transB: true) : try g.bmm(y, transB: !transB)) : nil
            let gb: Tensor? =
                y.requiresGrad
                ? (transB ? try g.bmm(x, transA: true, transB: transA) : try x.bmm(g, transA: !transA)) : nil
            return [ga, gb]
        }
    }

    /// `torch.matmul` (and `@`): two vectors give their dot product, a vector is a row (first operand) or a
    /// column (second) removed from the result again, and operands of more than two dimensions are stacks of
    /// matrices whose batch dimensions broadcast ([2, 1, 3, 4] @ [5, 4, 2] is [2, 5, 3, 2]).
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard ndim >= 1, other.ndim >= 1 else {
            throw CNNError.shape(
                "matmul needs operands of at least 1 dimension, got \(shapeString(shape)) @ \(shapeString(other.shape))"
            )
        }
        switch (ndim, other.ndim) {
        case (2, 2): return try mm(other)
        case (1, 2): return try unsqueezed(0).mm(other).squeezed(0)
        case (2, 1): return try mm(other.unsqueezed(1)).squeezed(1)
        case (1, 1):
            guard shape == other.shape else {
                throw CNNError.shape(
                    "matmul: vectors of length \(shape[0]) and \(other.shape[0]) (a dot product needs equal lengths)")
            }
            return try (self * other).sum()
        default:
            let a = ndim == 1 ? try unsqueezed(0) : self
            let b = other.ndim == 1 ? try other.unsqueezed(1) : other
            let (m, k) = (a.shape[a.ndim - 2], a.shape[a.ndim - 1])
            let (k2, n) = (b.shape[b.ndim - 2], b.shape[b.ndim - 1])
            guard k == k2 else {
                throw CNNError.shape(
                    "matmul: inner dimensions differ: \(shapeString(shape)) @ \(shapeString(other.shape)) (\(k) vs \(k2))"
                )
            }
            let batch: [Int]
            do {
                batch = try broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
            } catch {
                throw CNNError.shape(
                    "matmul: batch dimensions \(shapeString(Array(a.shape.dropLast(2)))) and "
                        + "\(shapeString(Array(b.shape.dropLast(2)))) do not broadcast (\(shapeString(shape)) @ "
                        + "\(shapeString(other.shape)))")
            }
            let nb = try Shape.count(batch, "matmul batch")
            let stackA = try a.expanded(to: batch + [m, k]).reshaped([nb, m, k])
            let stackB = try b.expanded(to: batch + [k, n]).reshaped([nb, k, n])
            var out = try stackA.bmm(stackB).reshaped(batch + [m, n])
            if ndim == 1 { out = try out.squeezed(out.ndim - 2) }
            if other.ndim == 1 { out = try out.squeezed(out.ndim - 1) }
            return out
        }
    }
}
