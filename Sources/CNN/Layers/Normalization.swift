/// Batch normalisation over channels of (N, C, H, W): weight, bias (2C parameters) and
/// running_mean / running_var buffers.
public final class BatchNorm2d: Layer {
    public let channels: Int
    public let eps: Double, momentum: Double
    public var weight: Tensor, bias: Tensor
    public var runningMean: Tensor, runningVar: Tensor
    public var numBatchesTracked: Tensor
    public var output: Tensor?
    public var isTraining = true
    public init(_ c: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        guard c > 0 else { throw CNNError.value("BatchNorm2d needs a positive channel count, got \(c)") }
        channels = c; self.eps = eps; self.momentum = momentum
        weight = try parameter([c]); weight.filled(1)
        bias = try parameter([c])
        runningMean = try Tensor.zeros([c]); runningVar = try Tensor.ones([c])
        numBatchesTracked = try Tensor.zeros([])
    }
    public var typeName: String { "BatchNorm2d" }
    public var configDescription: String { "\(channels), eps=\(eps), momentum=\(momentum)" }
    public var namedParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
    public var namedBuffers: [(String, Tensor)] { [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)] }
    public func forward(_ x: Tensor) throws -> Tensor {
        guard (x.ndim == 4 || x.ndim == 2), x.shape[1] == channels else {
            throw CNNError.shape("BatchNorm2d expected \(channels) channels, got input \(shapeString(x.shape))")
        }
        if isTraining { numBatchesTracked.storage.set(0, numBatchesTracked.storage.get(0) + 1) }
        return try batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                             training: isTraining, momentum: momentum, eps: eps)
    }
}

/// Local response normalisation across channels (AlexNet); no parameters.
public final class LocalResponseNorm: Layer {
    public let size: Int, alpha: Double, beta: Double, k: Double
    public var output: Tensor?
    public var isTraining = true
    public init(_ size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) throws {
        guard size > 0 else { throw CNNError.value("LocalResponseNorm size must be positive, got \(size)") }
        self.size = size; self.alpha = alpha; self.beta = beta; self.k = k
    }
    public var typeName: String { "LocalResponseNorm" }
    public var configDescription: String { "\(size), alpha=\(alpha), beta=\(beta), k=\(k)" }
    public func forward(_ x: Tensor) throws -> Tensor { try localResponseNorm(x, size: size, alpha: alpha, beta: beta, k: k) }
}
