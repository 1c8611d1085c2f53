/// Creation: zeros, ones, full, randn, rand, arange, linspace, eye, and from nested lists.
extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try Tensor(shape: shape, dtype: dtype) }
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 1, dtype: dtype) }
    public static func full(_ shape: [Int], _ v: Double, dtype: DType = .float32) throws -> Tensor {
        try Tensor(shape: shape, dtype: dtype, zeroed: v == 0).filled(v)
    }
    /// Standard normal samples from the seeded generator.
    public static func randn(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        GlobalRandom.with { r in for i in 0..<t.count { t.storage.set(i, r.normal()) } }
        return t
    }
    /// Uniform samples in [lo, hi).
    public static func rand(_ shape: [Int], lo: Double = 0, hi: Double = 1, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        GlobalRandom.with { r in for i in 0..<t.count { t.storage.set(i, lo + (hi - lo) * r.uniform()) } }
        return t
    }
    /// start, start+step, … below `end`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32) throws -> Tensor {
        guard step != 0 else { throw CNNError.value("arange step cannot be zero") }
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        guard n < (1 << 40) else { throw CNNError.memory("arange(\(start), \(end), \(step)) has too many elements") }
        return try Tensor((0..<n).map { start + Double($0) * step }, shape: [n], dtype: dtype)
    }
    /// `n` evenly spaced values from a to b inclusive.
    public static func linspace(_ a: Double, _ b: Double, _ n: Int, dtype: DType = .float32) throws -> Tensor {
        guard n >= 0 else { throw CNNError.value("linspace needs a non-negative count, got \(n)") }
        if n == 1 { return try Tensor([a], shape: [1], dtype: dtype) }
        return try Tensor((0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }, shape: [n], dtype: dtype)
    }
    /// The n×n identity.
    public static func eye(_ n: Int, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(shape: [n, n], dtype: dtype)
        for i in 0..<n { t.storage.set(i * n + i, 1) }
        return t
    }
}
