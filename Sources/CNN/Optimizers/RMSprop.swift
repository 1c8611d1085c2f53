/// RMSprop (Hinton's lecture 6e, PyTorch's `RMSprop`): a running average of squared gradients,
/// v = αv + (1 − α)g², and p −= lr·g / (√v + ε); with momentum b = μb + g/(√v + ε), p −= lr·b.
public final class RMSprop: Optimizer {
    public let params: [Tensor]
    public var lr: Double
    public let alpha: Double, eps: Double, weightDecay: Double, momentum: Double
    var square: [ObjectIdentifier: Tensor] = [:], buffer: [ObjectIdentifier: Tensor] = [:]

    /// PyTorch's defaults, which the language's `RMSprop` shows and uses.
    public static let defaults = (lr: 0.01, alpha: 0.99, eps: 1e-8)

    public init(
        _ params: [Tensor], lr: Double = defaults.lr, alpha: Double = defaults.alpha, eps: Double = defaults.eps,
        weightDecay: Double = 0,
        momentum: Double = 0
    ) throws {
        guard lr >= 0, (0...1).contains(alpha), eps >= 0, weightDecay >= 0, momentum >= 0 else {
            throw CNNError.value(
                "RMSprop: lr ≥ 0, alpha in [0, 1], eps, weight_decay and momentum ≥ 0 required (lr \(lr), alpha \(alpha))"
            )
        }
        self.params = params
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
    }

    public var typeName: String { "RMSprop" }
    public var hyperparameters: [(String, Double)] {
        [("lr", lr), ("alpha", alpha), ("eps", eps), ("weight_decay", weightDecay), ("momentum", momentum)]
    }

    public func step() throws {
        try update { p, g0 in
            var g = g0
            if weightDecay != 0 { g = try g + p * weightDecay }
            let id = ObjectIdentifier(p)
            let v = try (square[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * alpha + g * g * (1 - alpha)
            square[id] = v
            let scaled = try g / (v.sqrt() + eps)
            if momentum > 0 {
                let b = try (buffer[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * momentum + scaled
                buffer[id] = b
                try axpy(p, b, -lr)
            } else {
                try axpy(p, scaled, -lr)
            }
        }
    }
}
