/// Batch normalisation over channels of (N, C, H, W) (or (N, C)): weight and bias (2C parameters), and
/// running_mean / running_var / num_batches_tracked buffers, as PyTorch's `BatchNorm2d`.
public final class BatchNorm2d: Layer {
    public let channels: Int
    public let eps: Double, momentum: Double
    public var weight: Tensor, bias: Tensor
    public var runningMean: Tensor, runningVar: Tensor
    public var numBatchesTracked: Tensor
    public var output: Tensor?
    public var isTraining = true

    /// PyTorch's defaults, which the language's `BatchNorm2d` and `batch_norm` show and use.
    public static let defaultEps = 1e-5, defaultMomentum = 0.1

    public init(_ c: Int, eps: Double = defaultEps, momentum: Double = defaultMomentum) throws {
        guard c > 0 else { throw CNNError.value("BatchNorm2d needs a positive channel count, got \(c)") }
        channels = c
        self.eps = eps
        self.momentum = momentum
        weight = try parameter([c])
        weight.filled(1)
        bias = try parameter([c])
        runningMean = buffer(try Tensor.zeros([c]))
        runningVar = buffer(try Tensor.ones([c]))
        numBatchesTracked = buffer(try Tensor.zeros([], dtype: .int64))
    }

    public var typeName: String { "BatchNorm2d" }
    public var configDescription: String { "\(channels), eps=\(eps), momentum=\(momentum)" }
    public var namedParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
    public var namedBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    public func setParameter(_ name: String, _ value: Tensor?) throws -> Bool {
        guard let value else {
            if ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"].contains(name) {
                throw CNNError.value("BatchNorm2d.\(name) cannot be nil")
            }
            return false
        }
        switch name {
        case "weight": weight = try adoptParameter(value, replacing: weight, name: name)
        case "bias": bias = try adoptParameter(value, replacing: bias, name: name)
        case "running_mean": runningMean = try adoptBuffer(value, replacing: runningMean, name: name)
        case "running_var": runningVar = try adoptBuffer(value, replacing: runningVar, name: name)
        case "num_batches_tracked": numBatchesTracked = try adoptBuffer(value, replacing: numBatchesTracked, name: name)
        default: return false
        }
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        guard x.ndim == 4 || x.ndim == 2, x.shape[1] == channels else {
            throw CNNError.shape("BatchNorm2d expected \(channels) channels, got input \(shapeString(x.shape))")
        }
        if isTraining {
            numBatchesTracked.storage.set(
                numBatchesTracked.offset, numBatchesTracked.storage.get(numBatchesTracked.offset) + 1)
            numBatchesTracked.storage.bump()
        }
        return try batchNorm(
            x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
            training: isTraining, momentum: momentum, eps: eps)
    }
}
