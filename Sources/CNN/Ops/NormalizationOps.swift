/// Batch normalisation and local response normalisation, composed of primitives.

/// Batch norm over (N, C, H, W) or (N, C): per-channel statistics over all other dims.
/// In training, batch statistics are used and running statistics updated in place
/// (running_var with the unbiased variance, as PyTorch); in eval, running statistics.
public func batchNorm(
    _ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?, bias: Tensor?,
    training: Bool, momentum: Double = 0.1, eps: Double = 1e-5
) throws -> Tensor {
    guard x.ndim == 4 || x.ndim == 2 else {
        throw CNNError.needsBatch("batch_norm", x.shape, also: " or (N, C)")
    }
    let x = try x.floating()
    let c = x.shape[1]
    var bshape = [Int](repeating: 1, count: x.ndim); bshape[1] = c
    if training || runningMean == nil {
        let n = x.count / Swift.max(c, 1)
        guard n > 1 else {
            throw CNNError.value(
                "batch_norm in training needs more than one value per channel, got input \(shapeString(x.shape))")
        }
        // one fused node (BatchNormTraining): statistics, output and gradients in a few passes per channel
        let (y, mean, variance) = try batchNormTrainingNode(x, weight: weight, bias: bias, eps: eps)
        if let rm = runningMean, let rv = runningVar {
            try withNoGrad {
                let m = try Tensor(mean, shape: [c], dtype: rm.dtype)
                let v = try Tensor(variance.map { $0 * Double(n) / Double(n - 1) }, shape: [c], dtype: rv.dtype)
                try rm.assign(try rm * (1 - momentum) + m * momentum)
                try rv.assign(try rv * (1 - momentum) + v * momentum)
            }
        }
        return y
    }
    guard let rm = runningMean, let rv = runningVar else {
        throw CNNError.value("batch_norm in eval mode needs running statistics")
    }
    var y = try (x - rm.reshaped(bshape)) / (rv.reshaped(bshape) + eps).sqrt()
    if let weight { y = try y * weight.reshaped(bshape) }
    if let bias { y = try y + bias.reshaped(bshape) }
    return y
}

/// Local response normalisation across channels (AlexNet):
/// b_c = a_c / (k + α/n · Σ_{c' in window} a_{c'}²)^β, window of `size` centred on c.
public func localResponseNorm(
    _ x: Tensor, size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1
) throws -> Tensor {
    guard x.ndim == 4 else {
        throw CNNError.needsBatch("local_response_norm", x.shape)
    }
    guard size > 0 else { throw CNNError.value("local_response_norm size must be positive, got \(size)") }
    let c = x.shape[1]
    let sq = try x * x
    let padded = try sq.padded([(size / 2, (size - 1) / 2), (0, 0), (0, 0)])
    var acc = try padded.index([.all, .slice(start: 0, stop: c, step: 1)])
    for i in 1..<size { acc = try acc + padded.index([.all, .slice(start: i, stop: i + c, step: 1)]) }
    let denom = try (acc * (alpha / Double(size)) + k).pow(beta)
    return try x / denom
}
