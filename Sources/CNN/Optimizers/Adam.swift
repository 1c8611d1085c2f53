/// Adam (Kingma & Ba) with bias correction and optional (L2) weight decay, as PyTorch's `Adam`.
public final class Adam: Optimizer {
    public let params: [Tensor]
    public var lr: Double
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    var m: [ObjectIdentifier: Tensor] = [:], v: [ObjectIdentifier: Tensor] = [:]
    var t = 0

    /// PyTorch's defaults, which the language's `Adam` shows and uses.
    public static let defaults = (lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8)

    public init(
        _ params: [Tensor], lr: Double = defaults.lr, beta1: Double = defaults.beta1, beta2: Double = defaults.beta2,
        eps: Double = defaults.eps, weightDecay: Double = 0
    ) throws {
        guard lr >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2), eps >= 0, weightDecay >= 0 else {
            throw CNNError.value(
                "Adam: lr ≥ 0, betas in [0, 1), eps ≥ 0 and weight_decay ≥ 0 required (betas \(beta1), \(beta2))")
        }
        self.params = params
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    public var typeName: String { "Adam" }
    public var hyperparameters: [(String, Double)] {
        [("lr", lr), ("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", weightDecay)]
    }

    public func step() throws {
        t += 1
        let bc1 = 1 - Double.pow(beta1, Double(t)), bc2 = 1 - Double.pow(beta2, Double(t))
        try update { p, g0 in
            var g = g0
            if weightDecay != 0 { g = try g + p * weightDecay }
            let id = ObjectIdentifier(p)
            let mt = try (m[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * beta1 + g * (1 - beta1)
            let vt = try (v[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * beta2 + g * g * (1 - beta2)
            m[id] = mt
            v[id] = vt
            let upd = try (mt / bc1) / ((vt / bc2).sqrt() + eps)
            try axpy(p, upd, -lr)
        }
    }
}
