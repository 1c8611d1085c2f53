/// Stochastic gradient descent with momentum, Nesterov momentum and weight decay (PyTorch's update:
/// v = μv + g; p −= lr·(g + μv) with Nesterov, lr·v without).
public final class SGD: Optimizer {
    public let params: [Tensor]
    public var lr: Double
    public let momentum: Double, weightDecay: Double, nesterov: Bool
    var velocity: [ObjectIdentifier: Tensor] = [:]

    public init(
        _ params: [Tensor], lr: Double, momentum: Double = 0, weightDecay: Double = 0, nesterov: Bool = false
    ) throws {
        guard lr >= 0, momentum >= 0, weightDecay >= 0 else {
            throw CNNError.value(
                "SGD: lr, momentum and weight_decay must be non-negative (lr \(lr), momentum \(momentum))")
        }
        guard !nesterov || momentum > 0 else { throw CNNError.value("SGD: Nesterov momentum needs momentum > 0") }
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public var typeName: String { "SGD" }
    public var hyperparameters: [(String, Double)] {
        [("lr", lr), ("momentum", momentum), ("weight_decay", weightDecay)] + (nesterov ? [("nesterov", 1)] : [])
    }

    public func step() throws {
        try update { p, g0 in
            var g = g0
            if weightDecay != 0 { g = try g + p * weightDecay }
            if momentum != 0 {
                let id = ObjectIdentifier(p)
                let v = try velocity[id].map { try $0 * momentum + g } ?? g.clone()
                velocity[id] = v
                g = nesterov ? try g + v * momentum : v
            }
            try axpy(p, g, -lr)
        }
    }
}
