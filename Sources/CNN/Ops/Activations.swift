/// Activation functions. relu, leaky_relu, elu, sigmoid and tanh are primitives
/// (`UnaryFn`); swish and prelu are composites; log_softmax is a primitive for
/// numerical stability and softmax is its exponential.
extension Tensor {
    public func relu() throws -> Tensor { try apply(.relu) }
    /// max(slope·x, x); the lecture's slope is 0.1 (PyTorch's default is 0.01).
    public func leakyRelu(slope: Double = 0.1) throws -> Tensor { try apply(.leakyRelu(slope)) }
    /// x for x ≥ 0, α(eˣ − 1) otherwise.
    public func elu(alpha: Double = 1) throws -> Tensor { try apply(.elu(alpha)) }
    public func sigmoid() throws -> Tensor { try apply(.sigmoid) }
    public func tanh() throws -> Tensor { try apply(.tanh) }
    /// x · σ(x) (composite).
    public func swish() throws -> Tensor { try self * sigmoid() }

    /// max(0, x) + a · min(0, x) with learned `a` (one per channel, broadcast over dim 1, or one shared).
    public func prelu(_ a: Tensor) throws -> Tensor {
        var w = a
        if a.count > 1 {
            guard ndim >= 2, shape[1] == a.count else {
                throw CNNError.shape("prelu: \(a.count) slopes for \(ndim >= 2 ? shape[1] : 0) channels (input \(shapeString(shape)))")
            }
            var s = [Int](repeating: 1, count: ndim); s[1] = a.count
            w = try a.reshaped(s)
        }
        return try relu() - w * neg().relu()
    }

    /// log(softmax(x)) along `dim`, computed stably (primitive).
    public func logSoftmax(dim: Int = 1) throws -> Tensor {
        let d = try normalizeDim(dim, ndim)
        let (outer, n, inner) = split(at: d)
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        func run<T: TensorScalar>(_: T.Type) {
            let x = storage.pointer(T.self), y = out.storage.pointer(T.self)
            for o in 0..<outer { for i in 0..<inner {
                let base = o * n * inner + i
                var m = -T.infinity
                for k in 0..<n { m = Swift.max(m, x[base + k * inner]) }
                var s: T = 0
                for k in 0..<n { s += T.exp(x[base + k * inner] - m) }
                let lse = m + T.log(s)
                for k in 0..<n { y[base + k * inner] = x[base + k * inner] - lse }
            } }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        let ySaved = out.detach()
        return record(out, "log_softmax", [self]) { g in
            // dx = g − softmax · Σ g
            let sm = try ySaved.exp()
            return [try g - sm * g.sum(dims: [d], keepdim: true)]
        }
    }

    /// softmax along `dim` (exp of the stable log-softmax).
    public func softmax(dim: Int = 1) throws -> Tensor { try logSoftmax(dim: dim).exp() }

    /// Dropout: zeroes each element with probability `p` and scales the rest by 1/(1 − p);
    /// the identity when not training.
    public func dropout(p: Double, training: Bool = true) throws -> Tensor {
        guard p >= 0 && p <= 1 else { throw CNNError.value("dropout probability must be in [0, 1], got \(p)") }
        if !training || p == 0 { return self }
        if p == 1 { return try self * 0 }
        let mask = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        let scale = 1 / (1 - p)
        GlobalRandom.with { r in for i in 0..<count { mask.storage.set(i, r.uniform() >= p ? scale : 0) } }
        return try self * mask
    }
}

/// Maxout over `pieces` groups of features: (N, F·k) → (N, F), the max of each group.
public func maxout(_ x: Tensor, pieces: Int) throws -> Tensor {
    guard x.ndim == 2, pieces > 0, x.shape[1] % pieces == 0 else {
        throw CNNError.shape("maxout: \(x.ndim == 2 ? x.shape[1] : -1) features are not divisible into \(pieces) pieces (input \(shapeString(x.shape)))")
    }
    return try x.reshaped([x.shape[0], x.shape[1] / pieces, pieces]).max(dim: 2)
}

/// y = x Wᵀ + b with W of shape (out, in), as PyTorch's `linear`.
public func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
    guard w.ndim == 2 else { throw CNNError.shape("linear: weight must be 2-D (out, in), got \(shapeString(w.shape))") }
    guard x.ndim >= 1, x.shape[x.ndim - 1] == w.shape[1] else {
        throw CNNError.shape("linear expected \(w.shape[1]) input features, got \(x.shape.last ?? 0) (input \(shapeString(x.shape)))")
    }
    let x2 = x.ndim == 2 ? x : try x.reshaped([-1, w.shape[1]])
    var y = try x2.mm(w, transB: true)
    if let b { y = try y + b }
    if x.ndim != 2 { y = try y.reshaped(Array(x.shape.dropLast()) + [w.shape[0]]) }
    return y
}
