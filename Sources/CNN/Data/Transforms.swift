import Foundation

/// Preprocessing and augmentation for (N, C, H, W) image batches, and learning-rate schedules.
public enum Transforms {
    /// Per-channel mean and standard deviation over N, H, W (the statistics `normalize` uses).
    public static func channelStats(_ x: Tensor) throws -> (mean: [Double], std: [Double]) {
        guard x.ndim == 4 else {
            throw CNNError.shape("channel statistics need (N, C, H, W), got \(shapeString(x.shape))")
        }
        let m = try x.mean(dims: [0, 2, 3]),
            v = try (x - x.mean(dims: [0, 2, 3], keepdim: true)).pow(2).mean(dims: [0, 2, 3])
        return (m.values, v.values.map { $0.squareRoot() })
    }

    /// (x − mean_c) / std_c per channel.
    public static func normalize(_ x: Tensor, mean: [Double], std: [Double]) throws -> Tensor {
        guard x.ndim == 4, mean.count == x.shape[1], std.count == x.shape[1] else {
            throw CNNError.shape(
                "normalize: \(mean.count) means and \(std.count) stds for input \(shapeString(x.shape)) (one per channel)"
            )
        }
        guard std.allSatisfy({ $0 > 0 }) else {
            throw CNNError.value("normalize: every std must be positive, got \(std)")
        }
        let c = x.shape[1]
        let m = try Tensor(mean, shape: [1, c, 1, 1], dtype: x.dtype),
            s = try Tensor(std, shape: [1, c, 1, 1], dtype: x.dtype)
        return try (x - m) / s
    }

    /// Zero-pads by `padding` and crops a random `size`×`size` window per image.
    public static func randomCrop(_ x: Tensor, size: Int, padding: Int = 0) throws -> Tensor {
        guard x.ndim == 4 else { throw CNNError.shape("random_crop expects (N, C, H, W), got \(shapeString(x.shape))") }
        let p = padding >= 0 ? padding : 0
        let H = x.shape[2] + 2 * p, W = x.shape[3] + 2 * p
        guard size > 0, size <= H, size <= W else {
            throw CNNError.value("random_crop: a \(size)x\(size) crop does not fit the \(H)x\(W) padded image")
        }
        let xp = p > 0 ? try x.detach().padded([(p, p), (p, p)]) : try x.detach().contiguous()
        let (n, c) = (x.shape[0], x.shape[1])
        let out = try Tensor(shape: [n, c, size, size], dtype: x.dtype, zeroed: false)
        for i in 0..<n {
            let (oy, ox) = GlobalRandom.with { r in (r.int(below: H - size + 1), r.int(below: W - size + 1)) }
            for ch in 0..<c {
                for y in 0..<size {
                    let src = ((i * c + ch) * H + oy + y) * W + ox, dst = ((i * c + ch) * size + y) * size
                    for k in 0..<size { out.storage.set(dst + k, xp.storage.get(xp.offset + src + k)) }
                }
            }
        }
        return out
    }

    /// Flips each image left–right with probability `p`.
    public static func horizontalFlip(_ x: Tensor, p: Double = 0.5) throws -> Tensor {
        guard x.ndim == 4 else { throw CNNError.shape("hflip expects (N, C, H, W), got \(shapeString(x.shape))") }
        let out = try x.detach().clone()
        let src = try x.detach().contiguous()
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        for i in 0..<n where GlobalRandom.with({ $0.uniform() }) < p {
            for ch in 0..<c {
                for y in 0..<h {
                    let row = ((i * c + ch) * h + y) * w
                    for k in 0..<w { out.storage.set(row + k, src.storage.get(src.offset + row + w - 1 - k)) }
                }
            }
        }
        return out
    }

    /// Step decay: base · gamma^⌊epoch / step⌋ (PyTorch's StepLR).
    public static func stepLR(base: Double, epoch: Int, step: Int, gamma: Double = 0.1) throws -> Double {
        guard step > 0 else { throw CNNError.value("step_lr: step must be positive, got \(step)") }
        return base * Foundation.pow(gamma, Double(epoch / step))
    }

    /// Cosine annealing from base to min over `epochs` (PyTorch's CosineAnnealingLR).
    public static func cosineLR(base: Double, epoch: Int, epochs: Int, min: Double = 0) throws -> Double {
        guard epochs > 0 else { throw CNNError.value("cosine_lr: epochs must be positive, got \(epochs)") }
        let t = Double(Swift.min(Swift.max(epoch, 0), epochs)) / Double(epochs)
        return min + (base - min) * (1 + Foundation.cos(Double.pi * t)) / 2
    }
}
