import Foundation

/// Resizing and cropping images (C×H×W) or batches (N×C×H×W) as torchvision does: `resize` is bilinear, with
/// antialiasing when shrinking by default (torchvision's `Resize`, PyTorch's `interpolate(mode: "bilinear",
/// antialias: true)`), or plain bilinear interpolation with `antialias: false` (`align_corners=False`);
/// `centerCrop` takes the middle window, padding with zeros when the crop is larger than the image.
public enum ImageResize {
    /// The output height and width for torchvision's `size`: one number resizes the shorter side to it
    /// (keeping the aspect ratio, the longer side truncated), two are the exact height and width.
    public static func outputSize(height: Int, width: Int, size: [Int]) throws -> (Int, Int) {
        switch size.count {
        case 1:
            let s = try Shape.size(size[0], "resize: size", atLeast: 1, atMost: 1 << 20)
            if height <= width {
                return (s, Swift.max(1, Int(Double(s) * Double(width) / Double(Swift.max(height, 1)))))
            }
            return (Swift.max(1, Int(Double(s) * Double(height) / Double(Swift.max(width, 1)))), s)
        case 2:
            return (
                try Shape.size(size[0], "resize: height", atLeast: 1, atMost: 1 << 20),
                try Shape.size(size[1], "resize: width", atLeast: 1, atMost: 1 << 20)
            )
        default:
            throw CNNError.value("resize: size is one number (the shorter side) or [height, width], got \(size)")
        }
    }

    /// Resizes the last two dimensions of a C×H×W or N×C×H×W tensor.
    public static func resize(_ x: Tensor, size: [Int], antialias: Bool = true) throws -> Tensor {
        guard x.ndim == 3 || x.ndim == 4, x.dtype.isFloatingPoint else {
            throw CNNError.shape("resize expects a C×H×W or N×C×H×W floating-point tensor, got \(shapeString(x.shape))")
        }
        let h = x.shape[x.ndim - 2], w = x.shape[x.ndim - 1]
        guard h > 0, w > 0 else { throw CNNError.shape("resize: the image \(shapeString(x.shape)) is empty") }
        let (oh, ow) = try outputSize(height: h, width: w, size: size)
        let planes = x.shape.dropLast(2).reduce(1, *)
        let src = try x.detach().contiguous()
        let rows = weights(input: h, output: oh, antialias: antialias)
        let cols = weights(input: w, output: ow, antialias: antialias)
        let mid = try Tensor(shape: [planes, h, ow], dtype: .float64, zeroed: false)
        let out = try Tensor(shape: Array(x.shape.dropLast(2)) + [oh, ow], dtype: x.dtype, zeroed: false)
        try Parallel.forEach(planes, grain: 1) { r in
            for p in r {
                for y in 0..<h {
                    let base = src.offset + (p * h + y) * w
                    for j in 0..<ow {
                        var s = 0.0
                        for (k, wt) in cols[j].taps { s += wt * src.storage.get(base + k) }
                        mid.storage.set((p * h + y) * ow + j, s)
                    }
                }
                for i in 0..<oh {
                    for j in 0..<ow {
                        var s = 0.0
                        for (k, wt) in rows[i].taps { s += wt * mid.storage.get((p * h + k) * ow + j) }
                        out.storage.set((p * oh + i) * ow + j, s)
                    }
                }
            }
        }
        return out
    }

    struct Taps {
        var taps: [(Int, Double)]
    }

    /// For each output index, the input indices and weights: PyTorch's antialiased bilinear filter (a triangle
    /// stretched by the scale when shrinking, weights normalised), or plain bilinear with half-pixel centres.
    static func weights(input: Int, output: Int, antialias: Bool) -> [Taps] {
        let scale = Double(input) / Double(output)
        return (0..<output).map { i in
            if antialias {
                let support = scale >= 1 ? scale : 1.0
                let invscale = scale >= 1 ? 1 / scale : 1.0
                let center = scale * (Double(i) + 0.5)
                let lo = Swift.max(Int(center - support + 0.5), 0)
                let hi = Swift.min(Int(center + support + 0.5), input)
                var taps: [(Int, Double)] = []
                var total = 0.0
                for k in lo..<Swift.max(lo, hi) {
                    let t = abs((Double(k) - center + 0.5) * invscale)
                    let wt = t < 1 ? 1 - t : 0
                    taps.append((k, wt))
                    total += wt
                }
                return Taps(taps: total > 0 ? taps.map { ($0.0, $0.1 / total) } : [(Swift.min(lo, input - 1), 1)])
            }
            let s = Swift.max(0, (Double(i) + 0.5) * scale - 0.5)
            let i0 = Swift.min(Int(s), input - 1)
            let i1 = Swift.min(i0 + 1, input - 1)
            let l = s - Double(i0)
            return Taps(taps: i0 == i1 ? [(i0, 1)] : [(i0, 1 - l), (i1, l)])
        }
    }

    /// The middle `size` window (one number: square) of a C×H×W or N×C×H×W tensor, as torchvision's
    /// `CenterCrop` (offsets rounded half to even; zero padding when the crop is larger).
    public static func centerCrop(_ x: Tensor, size: [Int]) throws -> Tensor {
        guard x.ndim == 3 || x.ndim == 4 else {
            throw CNNError.shape("center_crop expects a C×H×W or N×C×H×W tensor, got \(shapeString(x.shape))")
        }
        guard size.count == 1 || size.count == 2 else {
            throw CNNError.value("center_crop: size is one number or [height, width], got \(size)")
        }
        let ch = try Shape.size(size[0], "center_crop: height", atLeast: 1, atMost: 1 << 20)
        let cw = try Shape.size(size.count == 2 ? size[1] : size[0], "center_crop: width", atLeast: 1, atMost: 1 << 20)
        let h = x.shape[x.ndim - 2], w = x.shape[x.ndim - 1]
        let top = Int((Double(h - ch) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(w - cw) / 2).rounded(.toNearestOrEven))
        let planes = x.shape.dropLast(2).reduce(1, *)
        let src = try x.detach().contiguous()
        let out = try Tensor(shape: Array(x.shape.dropLast(2)) + [ch, cw], dtype: x.dtype, zeroed: true)
        for p in 0..<planes {
            try Cancellation.check()
            for i in 0..<ch {
                let y = top + i
                guard y >= 0, y < h else { continue }
                for j in 0..<cw {
                    let xcol = left + j
                    guard xcol >= 0, xcol < w else { continue }
                    out.storage.set((p * ch + i) * cw + j, src.storage.get(src.offset + (p * h + y) * w + xcol))
                }
            }
        }
        return out
    }
}
