/// Numerical gradient checking in Float64 by central differences.
public enum Gradcheck {
    /// CS231n's relative error: max |a − b| / max(1e-8, |a| + |b|), elementwise.
    public static func relError(_ a: Tensor, _ b: Tensor) throws -> Double {
        guard a.count == b.count else {
            throw CNNError.shape("rel_error: shapes \(shapeString(a.shape)) and \(shapeString(b.shape)) differ")
        }
        var m = 0.0
        for (x, y) in zip(a.values, b.values) {
            let e = Swift.abs(x - y) / Swift.max(1e-8, Swift.abs(x) + Swift.abs(y))
            if e.isNaN { return .nan }
            m = Swift.max(m, e)
        }
        return m
    }

    /// A fixed random direction with the output's shape: the check differentiates ⟨f(x), r⟩, so the backward
    /// is exercised with a non-uniform upstream gradient (one that ignores or misplaces `dout` is caught, which
    /// summing the output would miss).
    static func direction(like y: Tensor) throws -> Tensor {
        let r = try Tensor(shape: y.shape, dtype: .float64)
        var rng = RandomGenerator(seed: 0x5EED_C0DE)
        for i in 0..<r.count { r.storage.set(i, rng.normal()) }
        return r
    }

    /// Numerical gradient of the scalar ⟨f(inputs), r⟩ at `inputs[which]` (Float64 copies); `r` is a tensor of
    /// `f`'s output shape, or nil to sum the output.
    public static func numerical(
        _ f: ([Tensor]) throws -> Tensor, _ inputs: [Tensor], which: Int, direction r: Tensor? = nil, eps: Double = 1e-5
    ) throws -> Tensor {
        func scalar() throws -> Double {
            let y = try f(inputs)
            guard let r else { return try y.sum().item() }
            return try (y.to(.float64) * r).sum().item()
        }
        let x = inputs[which]
        let g = try Tensor(shape: x.shape, dtype: .float64)
        try withNoGrad {
            for i in 0..<x.count {
                try Cancellation.check()
                let old = x.storage.get(i)
                x.storage.set(i, old + eps)
                let fp = try scalar()
                x.storage.set(i, old - eps)
                let fm = try scalar()
                x.storage.set(i, old)
                g.storage.set(i, (fp - fm) / (2 * eps))
            }
        }
        return g
    }

    /// Compares the analytic gradient of `f` (projected on a fixed random direction) with central differences
    /// for every input that requires grad; returns the maximum relative error. The step is CS231n's h = 1e-5:
    /// near the optimum for central differences in Float64 (∛ε), where 1e-6 let rounding in a sum with
    /// cancellation reach 1e-6 relative on small gradient entries.
    /// (A function with kinks is checked away from them: within h of a kink the difference straddles it.)
    /// Inputs are converted to Float64 leaves first.
    public static func check(_ f: ([Tensor]) throws -> Tensor, _ inputs: [Tensor], eps: Double = 1e-5) throws -> Double
    {
        let xs = try inputs.map { t -> Tensor in
            let c = try t.detach().to(.float64).clone()
            c.requiresGrad = t.requiresGrad || inputs.allSatisfy { !$0.requiresGrad }
            return c
        }
        let out = try f(xs)
        let r = try direction(like: out)
        let y = try (out.to(.float64) * r).sum()
        guard y.requiresGrad else {
            throw CNNError.value("gradcheck: the function's result does not depend on any input that requires grad")
        }
        try y.backward()
        var worst = 0.0
        for (i, x) in xs.enumerated() where x.requiresGrad {
            let num = try numerical(f, xs, which: i, direction: r, eps: eps)
            let ana = try x.grad ?? Tensor(shape: x.shape, dtype: .float64)
            worst = Swift.max(worst, try relError(ana, num))
        }
        return worst
    }
}
