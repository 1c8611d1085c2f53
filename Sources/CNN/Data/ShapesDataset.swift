import Foundation

/// A generated data set of grey images of simple shapes, so every notebook runs with no
/// download: circle, square, triangle, cross (classes 0–3), drawn at random position,
/// scale and stroke width, with Gaussian noise. The same seed gives the same data.
public enum ShapesDataset {
    public static let classNames = ["circle", "square", "triangle", "cross"]

    /// `n` images (n, 1, size, size) in [0, 1] and their labels (n).
    public static func generate(
        count n: Int, size: Int = 28, seed: UInt64 = 0, noise: Double = 0.15
    ) throws -> (Tensor, Tensor) {
        guard n >= 0, size >= 8 else {
            throw CNNError.value("shapes needs n ≥ 0 and size ≥ 8, got n = \(n), size = \(size)")
        }
        _ = try Shape.count([n, 1, size, size], "shapes(\(n), size: \(size))")
        let x = try Tensor(shape: [n, 1, size, size])
        let y = try Tensor(shape: [n], dtype: .int64)
        var r = RandomGenerator(seed: seed &+ 0x5A17)
        let s = Double(size)
        for k in 0..<n {
            try Cancellation.check()
            let cls = k % classNames.count
            let radius = s * (0.18 + 0.17 * r.uniform())
            let cx = radius + 1 + (s - 2 * radius - 2) * r.uniform(),
                cy = radius + 1 + (s - 2 * radius - 2) * r.uniform()
            let stroke = 1.0 + 1.6 * r.uniform()
            let angle = (r.uniform() - 0.5) * 0.6
            let filled = r.uniform() < 0.3
            let base = k * size * size
            for py in 0..<size {
                for px in 0..<size {
                    let dx0 = Double(px) + 0.5 - cx, dy0 = Double(py) + 0.5 - cy
                    let dx = dx0 * Foundation.cos(angle) + dy0 * Foundation.sin(angle),
                        dy = -dx0 * Foundation.sin(angle) + dy0 * Foundation.cos(angle)
                    let d = signedDistance(cls, dx, dy, radius)  // < 0 inside
                    var v = filled ? (d < 0 ? 1.0 : Swift.max(0, 1 - d)) : Swift.max(0, 1 - Swift.abs(d) / stroke)
                    v = Swift.min(1, Swift.max(0, v + noise * r.normal()))
                    x.storage.set(base + py * size + px, v)
                }
            }
            y.storage.set(k, Double(cls))
        }
        // shuffle sample order deterministically, keeping classes balanced overall
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, r.int(below: i + 1)) }
        return (try x.selectRows(order), try y.selectRows(order))
    }

    static func signedDistance(_ cls: Int, _ x: Double, _ y: Double, _ r: Double) -> Double {
        switch cls {
        case 0: return (x * x + y * y).squareRoot() - r
        case 1: return Swift.max(Swift.abs(x), Swift.abs(y)) - r * 0.85
        case 2:
            // equilateral triangle, circumradius r, apex up: the max of three half-plane
            // distances (outward edge normals at 90°, 210°, 330°; inradius r/2)
            var d = -Double.infinity
            for deg in [90.0, 210.0, 330.0] {
                let a = deg * Double.pi / 180
                d = Swift.max(d, x * Foundation.cos(a) + y * Foundation.sin(a) - r * 0.5)
            }
            return d
        default:
            let w = r * 0.28
            let ax = Swift.abs(x), ay = Swift.abs(y)
            let bar1 = Swift.max(ax - r, ay - w), bar2 = Swift.max(ax - w, ay - r)
            return Swift.min(bar1, bar2)
        }
    }
}
