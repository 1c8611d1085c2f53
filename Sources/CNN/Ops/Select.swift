/// `where(mask, a, b)`: picks, elementwise and broadcasting, `a` where the mask is nonzero and `b` elsewhere.
///
/// It picks rather than blends, so a NaN or infinity in the branch not taken does not leak into the result
/// (`a * m + b * (1 - m)` gives NaN for `0 * inf`), as `torch.where`. The gradient flows to `a` where the mask
/// is nonzero and to `b` elsewhere; none flows to the mask.
extension Tensor {
    public static func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try broadcastShapes(broadcastShapes(mask.shape, a.shape), b.shape)
        let dtype = DType.promoted(a.dtype, b.dtype)
        let m = try mask.expanded(to: shape).contiguous()
        let x = try a.detach().to(dtype).expanded(to: shape).contiguous()
        let y = try b.detach().to(dtype).expanded(to: shape).contiguous()
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        let n = out.count
        let picks = try maskBits(m)
        switch dtype {
        case .float32: try pick(picks, x.data(Float.self), y.data(Float.self), out.data(Float.self), n)
        case .float64: try pick(picks, x.data(Double.self), y.data(Double.self), out.data(Double.self), n)
        case .int64: try pick(picks, x.data(Int64.self), y.data(Int64.self), out.data(Int64.self), n)
        }
        guard dtype.isFloatingPoint else { return out }
        return record(out, .select, [a, b]) { g in
            if SupportGradients.isOn {
                return [a.requiresGrad ? try g.sumTo(a.shape) : nil, b.requiresGrad ? try g.sumTo(b.shape) : nil]
            }
            let zero = try Tensor(scalar: 0, dtype: g.dtype)
            let ga = a.requiresGrad ? try select(m, g, zero).sumTo(a.shape) : nil
            let gb = b.requiresGrad ? try select(m, zero, g).sumTo(b.shape) : nil
            return [ga, gb]
        }
    }

    /// The mask's elements as booleans (nonzero; NaN counts as nonzero, as in PyTorch's `bool()`).
    private static func maskBits(_ m: Tensor) throws -> [Bool] {
        let n = m.count
        var bits = [Bool](repeating: false, count: n)
        switch m.dtype {
        case .float32:
            let p = m.data(Float.self)
            for i in 0..<n { bits[i] = p[i] != 0 }
        case .float64:
            let p = m.data(Double.self)
            for i in 0..<n { bits[i] = p[i] != 0 }
        case .int64:
            let p = m.data(Int64.self)
            for i in 0..<n { bits[i] = p[i] != 0 }
        }
        return bits
    }

    private static func pick<T>(
        _ bits: [Bool], _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ o: UnsafeMutablePointer<T>,
        _ n: Int
    ) throws {
        try Parallel.forEach(n, grain: 1 << 15) { r in
            for i in r { o[i] = bits[i] ? x[i] : y[i] }
        }
    }
}
