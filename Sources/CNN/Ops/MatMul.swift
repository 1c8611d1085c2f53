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

    /// NumPy `@`: 1-D and 2-D operands, and batched 3-D (batch dims broadcast by loop).
    public func matmul(_ other: Tensor) throws -> Tensor {
        switch (ndim, other.ndim) {
        case (2, 2): return try mm(other)
        case (1, 2): return try unsqueezed(0).mm(other).squeezed(0)
        case (2, 1): return try mm(other.unsqueezed(1)).squeezed(1)
        case (1, 1):
            guard shape == other.shape else {
                throw CNNError.shape("matmul: vectors of length \(shape[0]) and \(other.shape[0])")
            }
            return try (self * other).sum()
        case (3, 3), (3, 2), (2, 3):
            let bA = ndim == 3 ? shape[0] : 1, bB = other.ndim == 3 ? other.shape[0] : 1
            guard bA == bB || bA == 1 || bB == 1 else {
                throw CNNError.shape(
                    "matmul: batch sizes \(bA) and \(bB) differ (\(shapeString(shape)) @ \(shapeString(other.shape)))")
            }
            let nb = Swift.max(bA, bB)
            let parts = try (0..<nb).map { i -> Tensor in
                let a = ndim == 3 ? try index([.index(bA == 1 ? 0 : i)]) : self
                let b = other.ndim == 3 ? try other.index([.index(bB == 1 ? 0 : i)]) : other
                return try a.mm(b).unsqueezed(0)
            }
            return try Tensor.concat(parts, dim: 0)
        default:
            throw CNNError.shape(
                "matmul supports 1-D, 2-D and 3-D operands, got \(shapeString(shape)) @ \(shapeString(other.shape))")
        }
    }
}
