/// Activation functions. relu, leaky_relu, elu, sigmoid and tanh are primitives (`UnaryFn`); swish and
/// prelu are composites; softmax and log_softmax are primitives for numerical stability: both shift by the
/// maximum first, so equal large logits give exactly equal probabilities.
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
                throw CNNError.shape(
                    "prelu: \(a.count) slopes for \(ndim >= 2 ? shape[1] : 0) channels (input \(shapeString(shape)))")
            }
            var s = [Int](repeating: 1, count: ndim)
            s[1] = a.count
            w = try a.reshaped(s)
        }
        return try relu() - w * neg().relu()
    }

    /// Runs `body` on every (outer, inner) line along `dim` of a contiguous floating copy: base offset,
    /// length and stride of the line.
    func forEachLine(
        dim: Int, _ body: @escaping (_ base: Int, _ n: Int, _ stride: Int) -> Void
    ) throws {
        let d = try normalizeDim(dim, ndim)
        let (outer, n, inner) = split(at: d)
        try Parallel.forEach(outer * inner, grain: Swift.max(1, (1 << 14) / Swift.max(n, 1))) { r in
            for j in r { body((j / inner) * n * inner + j % inner, n, inner) }
        }
    }

    /// softmax along `dim`: exp(x − max) / Σ exp(x − max) (primitive; backward y·(g − Σ g·y)).
    public func softmax(dim: Int = 1) throws -> Tensor {
        let x = try floating().contiguous()
        let d = try normalizeDim(dim, ndim)
        let out = try Tensor(shape: shape, dtype: x.dtype, zeroed: false)
        func run<T: TensorScalar>(_: T.Type) throws {
            let xp = x.data(T.self), y = out.data(T.self)
            try x.forEachLine(dim: d) { base, n, st in
                if st == 1, let xf = Float.pointer(xp + base), let yf = Float.pointer(y + base) {
                    // a contiguous Float32 line: in vector registers
                    var m = ExpKernel.max(xf, n)
                    if m == -.infinity { m = 0 }
                    let s = ExpKernel.exp(xf, minus: m, yf, n)
                    for k in 0..<n { yf[k] /= s }
                    return
                }
                var m = -T.infinity
                for k in 0..<n { m = Swift.max(m, xp[base + k * st]) }
                if m == -T.infinity { m = 0 }
                var s: T = 0
                for k in 0..<n {
                    let e = T.exp(xp[base + k * st] - m)
                    y[base + k * st] = e
                    s += e
                }
                for k in 0..<n { y[base + k * st] /= s }
            }
        }
        if x.dtype == .float32 { try run(Float.self) } else { try run(Double.self) }
        let ySaved = out.detach()
        return record(out, .softmax, [x], saving: [ySaved]) { g in
            [try ySaved * (g - (g * ySaved).sum(dims: [d], keepdim: true))]
        }
    }

    /// log(softmax(x)) along `dim`: (x − max) − log Σ exp(x − max), computed stably (primitive).
    public func logSoftmax(dim: Int = 1) throws -> Tensor {
        let x = try floating().contiguous()
        let d = try normalizeDim(dim, ndim)
        let out = try Tensor(shape: shape, dtype: x.dtype, zeroed: false)
        func run<T: TensorScalar>(_: T.Type) throws {
            let xp = x.data(T.self), y = out.data(T.self)
            try x.forEachLine(dim: d) { base, n, st in
                var m = -T.infinity
                var s: T = 0
                if st == 1, let xf = Float.pointer(xp + base) {
                    // a contiguous Float32 line: the maximum and the sum in vector registers
                    m = T(ExpKernel.max(xf, n))
                    if m == -T.infinity { m = 0 }
                    s = T(ExpKernel.exp(xf, minus: Float(m), nil, n))
                } else {
                    for k in 0..<n { m = Swift.max(m, xp[base + k * st]) }
                    if m == -T.infinity { m = 0 }
                    for k in 0..<n { s += T.exp(xp[base + k * st] - m) }
                }
                let ls = T.log(s)
                if st == 1 {
                    let xl = xp + base, yl = y + base
                    for k in 0..<n { yl[k] = (xl[k] - m) - ls }  // unit stride: vectorises
                } else {
                    for k in 0..<n { y[base + k * st] = (xp[base + k * st] - m) - ls }
                }
            }
        }
        if x.dtype == .float32 { try run(Float.self) } else { try run(Double.self) }
        let ySaved = out.detach()
        return record(out, .logSoftmax, [x], saving: [ySaved]) { g in
            // dx = g − softmax · Σ g
            [try g - ySaved.exp() * g.sum(dims: [d], keepdim: true)]
        }
    }

    /// Dropout: zeroes each element with probability `p` and scales the rest by 1/(1 − p); the identity
    /// when not training.
    public func dropout(p: Double, training: Bool = true) throws -> Tensor {
        guard p >= 0 && p <= 1 else { throw CNNError.value("dropout probability must be in [0, 1], got \(p)") }
        if !training || p == 0 { return self }
        if p == 1 { return try self * 0 }
        let mask = try Tensor(shape: shape, dtype: DType.floating(dtype, .float32), zeroed: false)
        let scale = 1 / (1 - p)
        let s = mask.storage
        try GlobalRandom.fill(mask.count) { g, r in for i in r { s.set(i, g.uniform() >= p ? scale : 0) } }
        return try self * mask
    }
}

/// Maxout over `pieces` groups of features: (N, F·k) → (N, F), the max of each group.
public func maxout(_ x: Tensor, pieces: Int) throws -> Tensor {
    guard x.ndim == 2, pieces > 0, x.shape[1] % pieces == 0 else {
        throw CNNError.shape(
            "maxout: \(x.ndim == 2 ? x.shape[1] : -1) features are not divisible into \(pieces) pieces (input \(shapeString(x.shape)))"
        )
    }
    return try x.reshaped([x.shape[0], x.shape[1] / pieces, pieces]).max(dim: 2)
}

/// y = x Wᵀ + b with W of shape (out, in), as PyTorch's `linear`.
public func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
    guard w.ndim == 2 else { throw CNNError.shape("linear: weight must be 2-D (out, in), got \(shapeString(w.shape))") }
    guard x.ndim >= 1, x.shape[x.ndim - 1] == w.shape[1] else {
        throw CNNError.shape(
            "linear expected \(w.shape[1]) input features, got \(x.shape.last ?? 0) (input \(shapeString(x.shape)))")
    }
    let x2 = x.ndim == 2 ? x : try x.reshaped([-1, w.shape[1]])
    var y = try x2.mm(w, transB: true)
    if let b { y = try y + b }
    if x.ndim != 2 { y = try y.reshaped(Array(x.shape.dropLast()) + [w.shape[0]]) }
    return y
}
