/// An optimiser updates parameters from their `.grad`, in place, without recording a graph. What the
/// language shows and sets of any optimiser (its name, its hyperparameters) is here, so a new optimiser
/// is its own file plus one line in the builtin table.
public protocol Optimizer: AnyObject {
    /// The name PyTorch gives it (`SGD`, `Adam`).
    var typeName: String { get }
    var params: [Tensor] { get }
    var lr: Double { get set }
    /// Hyperparameters by name, as `repr` shows them (`lr`, `momentum`, …).
    var hyperparameters: [(String, Double)] { get }
    func step() throws
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in params { p.grad = nil } }

    /// `SGD(lr: 0.1, momentum: 0.9, 2 parameters)`.
    public var description: String {
        let hp = hyperparameters.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        return "\(typeName)(\(hp), \(params.count) parameter\(params.count == 1 ? "" : "s"))"
    }

    /// The update for one parameter with a gradient: runs `body(p, g)` with graph recording off, with `g`
    /// in the parameter's type, and marks the in-place write (autograd's version check).
    func update(_ body: (Tensor, Tensor) throws -> Void) throws {
        try withNoGrad {
            for p in params where p.requiresGrad {
                try Cancellation.check()
                guard let g0 = p.grad else { continue }
                try body(p, try g0.to(p.dtype).contiguous())
                p.storage.bump()
            }
        }
    }
}

/// p += alpha · d, in place on p's storage (p contiguous).
func axpy(_ p: Tensor, _ d: Tensor, _ alpha: Double) throws {
    let n = p.count
    let dc = try d.contiguous()
    if p.dtype == .float32 {
        let pp = p.data(Float.self), dp = dc.data(Float.self), a = Float(alpha)
        try Parallel.forEach(n, grain: 1 << 16) { r in for i in r { pp[i] += a * dp[i] } }
    } else {
        let pp = p.data(Double.self), dp = dc.data(Double.self)
        try Parallel.forEach(n, grain: 1 << 16) { r in for i in r { pp[i] += alpha * dp[i] } }
    }
}
