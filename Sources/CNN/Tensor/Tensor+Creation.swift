/// Creation: zeros, ones, full, randn, rand, arange, linspace, eye. Every size is validated (`Shape`) and
/// charged to the memory budget before any element is written; large fills run in interruptible chunks.
extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try Tensor(shape: shape, dtype: dtype)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, 1, dtype: dtype)
    }

    public static func full(_ shape: [Int], _ v: Double, dtype: DType = .float32) throws -> Tensor {
        if dtype == .int64 { _ = try Shape.integer(v, "the fill value of an int64 tensor") }
        let t = try Tensor(shape: shape, dtype: dtype, zeroed: v == 0)
        if v != 0 { try t.fill { _ in v } }
        return t
    }

    /// Standard normal samples from the seeded generator.
    public static func randn(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        guard dtype.isFloatingPoint else { throw CNNError.type("randn makes floating-point tensors, not \(dtype)") }
        let t = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        let n = t.count
        if t.dtype == .float32 {
            let p = t.data(Float.self)
            try GlobalRandom.fill(n) { g, r in NormalKernel.fill(p + r.lowerBound, r.count, &g) }
        } else {
            let p = t.data(Double.self)
            try GlobalRandom.fill(n) { g, r in
                var i = r.lowerBound
                while i + 1 < r.upperBound {
                    (p[i], p[i + 1]) = g.normalPair()
                    i += 2
                }
                if i < r.upperBound { p[i] = g.normalPair().0 }
            }
        }
        return t
    }

    /// Uniform samples in [lo, hi).
    public static func rand(_ shape: [Int], lo: Double = 0, hi: Double = 1, dtype: DType = .float32) throws -> Tensor {
        guard dtype.isFloatingPoint else { throw CNNError.type("rand makes floating-point tensors, not \(dtype)") }
        let t = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        let span = hi - lo
        if t.dtype == .float32 {
            let p = t.data(Float.self)
            try GlobalRandom.fill(t.count) { g, r in for i in r { p[i] = Float(lo + span * g.uniform()) } }
        } else {
            let p = t.data(Double.self)
            try GlobalRandom.fill(t.count) { g, r in for i in r { p[i] = lo + span * g.uniform() } }
        }
        return t
    }

    /// Uniform integers in [low, high), Int64, as `torch.randint`.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int]) throws -> Tensor {
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span > 0 else {
            throw CNNError.value("randint needs low < high, got low \(low) and high \(high)")
        }
        let t = try Tensor(shape: shape, dtype: .int64, zeroed: false)
        let p = t.data(Int64.self)
        try GlobalRandom.fill(t.count) { g, r in for i in r { p[i] = Int64(low &+ g.int(below: span)) } }
        return t
    }

    /// A random permutation of 0..<n, Int64, as `torch.randperm` (Fisher–Yates).
    public static func randperm(_ n: Int) throws -> Tensor {
        guard n >= 0 else { throw CNNError.value("randperm needs n ≥ 0, got \(n)") }
        let t = try Tensor(shape: [n], dtype: .int64, zeroed: false)
        let p = t.data(Int64.self)
        for i in 0..<n { p[i] = Int64(i) }
        try GlobalRandom.with { g in
            for i in stride(from: n - 1, to: 0, by: -1) {
                if i & 0xFFFF == 0 { try Cancellation.check() }
                let j = g.int(below: i + 1)
                (p[i], p[j]) = (p[j], p[i])
            }
        }
        return t
    }

    /// start, start+step, … below `end` (PyTorch's count: ⌈(end − start) / step⌉).
    public static func arange(
        _ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32
    ) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw CNNError.value("arange(\(start), \(end), step: \(step)) needs finite bounds and a non-zero step")
        }
        let exact = ((end - start) / step).rounded(.up)
        guard exact < Double(Shape.maxElements) else {
            throw CNNError.memory(
                "arange(\(start), \(end), step: \(step)) would have \(exact) elements (more than 2^48)")
        }
        let n = Swift.max(0, Int(exact))
        let t = try Tensor(shape: [n], dtype: dtype, zeroed: false)
        try t.fill { start + Double($0) * step }
        return t
    }

    /// `n` evenly spaced values from a to b inclusive.
    public static func linspace(_ a: Double, _ b: Double, _ n: Int, dtype: DType = .float32) throws -> Tensor {
        guard n >= 0 else { throw CNNError.value("linspace needs a non-negative count, got \(n)") }
        let t = try Tensor(shape: [n], dtype: dtype, zeroed: false)
        if n == 1 {
            try t.fill { _ in a }
        } else {
            try t.fill { a + (b - a) * Double($0) / Double(n - 1) }
        }
        return t
    }

    /// The n×n identity.
    public static func eye(_ n: Int, dtype: DType = .float32) throws -> Tensor {
        _ = try Shape.count([n, n], "eye(\(n))")
        let t = try Tensor(shape: [n, n], dtype: dtype)
        for i in 0..<n { t.storage.set(i * n + i, 1) }
        return t
    }

    /// Sets element i (row-major, contiguous fresh tensors) to `value(i)`, in interruptible chunks.
    func fill(_ value: @escaping (Int) -> Double) throws {
        let s = storage
        switch dtype {
        case .float32:
            let p = data(Float.self)
            try Parallel.forEach(count, grain: 1 << 16) { r in for i in r { p[i] = Float(value(i)) } }
        case .float64:
            let p = data(Double.self)
            try Parallel.forEach(count, grain: 1 << 16) { r in for i in r { p[i] = value(i) } }
        case .int64:
            let p = data(Int64.self)
            try Parallel.forEach(count, grain: 1 << 16) { r in for i in r { p[i] = Int64(clampingForInt: value(i)) } }
        }
        s.bump()
    }
}
