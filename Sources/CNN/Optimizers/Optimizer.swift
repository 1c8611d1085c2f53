/// An optimiser updates parameters from their `.grad`, in place, without recording a graph.
public protocol Optimizer: AnyObject {
    var params: [Tensor] { get }
    var lr: Double { get set }
    func step() throws
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in params { p.grad = nil } }
}

/// Stochastic gradient descent with momentum, Nesterov momentum and weight decay
/// (PyTorch's update: v = μv + g; p −= lr·(g + μv) with Nesterov, lr·v without).
public final class SGD: Optimizer {
    public let params: [Tensor]
    public var lr: Double
    public let momentum: Double, weightDecay: Double, nesterov: Bool
    var velocity: [ObjectIdentifier: Tensor] = [:]
    public init(_ params: [Tensor], lr: Double, momentum: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) throws {
        guard lr >= 0, momentum >= 0, weightDecay >= 0 else { throw CNNError.value("SGD: lr, momentum and weight_decay must be non-negative") }
        guard !nesterov || momentum > 0 else { throw CNNError.value("SGD: Nesterov momentum needs momentum > 0") }
        self.params = params; self.lr = lr; self.momentum = momentum; self.weightDecay = weightDecay; self.nesterov = nesterov
    }
    public func step() throws {
        try withNoGrad {
            for p in params where p.requiresGrad {
                guard let g0 = p.grad else { continue }
                var g = try g0.to(p.dtype)
                if weightDecay != 0 { g = try g + p * weightDecay }
                if momentum != 0 {
                    let id = ObjectIdentifier(p)
                    let v = try velocity[id].map { try $0 * momentum + g } ?? g.clone()
                    velocity[id] = v
                    g = nesterov ? try g + v * momentum : v
                }
                axpy(p, g, -lr)
            }
        }
    }
}

/// Adam (Kingma & Ba) with bias correction and optional (L2) weight decay.
public final class Adam: Optimizer {
    public let params: [Tensor]
    public var lr: Double
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    var m: [ObjectIdentifier: Tensor] = [:], v: [ObjectIdentifier: Tensor] = [:]
    var t = 0
    public init(_ params: [Tensor], lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0) throws {
        guard lr >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2) else { throw CNNError.value("Adam: lr ≥ 0 and betas in [0, 1) required") }
        self.params = params; self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
    }
    public func step() throws {
        t += 1
        let bc1 = 1 - Double.pow(beta1, Double(t)), bc2 = 1 - Double.pow(beta2, Double(t))
        try withNoGrad {
            for p in params where p.requiresGrad {
                guard let g0 = p.grad else { continue }
                var g = try g0.to(p.dtype)
                if weightDecay != 0 { g = try g + p * weightDecay }
                let id = ObjectIdentifier(p)
                let mt = try (m[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * beta1 + g * (1 - beta1)
                let vt = try (v[id] ?? Tensor(shape: p.shape, dtype: p.dtype)) * beta2 + g * g * (1 - beta2)
                m[id] = mt; v[id] = vt
                let upd = try (mt / bc1) / ((vt / bc2).sqrt() + eps)
                axpy(p, upd, -lr)
            }
        }
    }
}


/// p += alpha · d, in place on p's storage.
func axpy(_ p: Tensor, _ d: Tensor, _ alpha: Double) {
    let n = p.count
    if p.dtype == .float32 {
        let pp = p.storage.floats, dp = d.storage.floats, a = Float(alpha)
        for i in 0..<n { pp[i] += a * dp[i] }
    } else {
        let pp = p.storage.doubles, dp = d.storage.doubles
        for i in 0..<n { pp[i] += alpha * dp[i] }
    }
}
