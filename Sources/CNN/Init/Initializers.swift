/// Weight initialisers, in place, from the seeded generator (PyTorch's formulas).
public enum Init {
    /// (fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field.
    public static func fans(_ t: Tensor) throws -> (Int, Int) {
        guard t.ndim >= 2 else {
            throw CNNError.shape("fan in/out needs a weight with at least 2 dimensions, got \(shapeString(t.shape))")
        }
        let rf = t.shape[2...].reduce(1, *)
        return (t.shape[1] * rf, t.shape[0] * rf)
    }
    /// Fills `t` in place (a fresh copy of its values is written back through views).
    static func fillInPlace(_ t: Tensor, _ draw: @escaping (inout RandomGenerator) -> Double) throws {
        guard t.dtype.isFloatingPoint else {
            throw CNNError.type("initialisers fill floating-point tensors, got \(t.dtype)")
        }
        let fresh = try Tensor(shape: t.shape, dtype: t.dtype, zeroed: false)
        let s = fresh.storage
        try GlobalRandom.fill(fresh.count) { g, r in for i in r { s.set(i, draw(&g)) } }
        if t.isContiguous {
            (t.storage.raw + t.offset * t.dtype.byteSize).copyMemory(from: s.raw, byteCount: t.count * t.dtype.byteSize)
            t.storage.bump()
        } else {
            try withNoGrad { try t.detach().assign(fresh) }
        }
    }
    static func fillUniform(_ t: Tensor, _ bound: Double) throws {
        try fillInPlace(t) { (2 * $0.uniform() - 1) * bound }
    }
    static func fillNormal(_ t: Tensor, _ std: Double) throws {
        try fillInPlace(t) { $0.normal() * std }
    }
    /// Kaiming (He) normal, fan_in mode, gain √(2/(1+a²)).
    public static func kaimingNormal(_ t: Tensor, a: Double = 0) throws {
        let (fi, _) = try fans(t)
        try fillNormal(t, (2 / (1 + a * a)).squareRoot() / Double(Swift.max(fi, 1)).squareRoot())
    }
    /// Kaiming (He) uniform, fan_in mode; a = √5 is PyTorch's default layer initialisation.
    public static func kaimingUniform(_ t: Tensor, a: Double = 0) throws {
        let (fi, _) = try fans(t)
        try fillUniform(t, (3.0).squareRoot() * (2 / (1 + a * a)).squareRoot() / Double(Swift.max(fi, 1)).squareRoot())
    }
    /// Glorot/Xavier uniform: bound √(6/(fan_in + fan_out)).
    public static func xavierUniform(_ t: Tensor, gain: Double = 1) throws {
        let (fi, fo) = try fans(t)
        try fillUniform(t, gain * (6 / Double(Swift.max(fi + fo, 1))).squareRoot())
    }
    /// PyTorch's default for Conv2d/Linear: weight kaiming_uniform(a=√5), bias U(±1/√fan_in).
    static func torchDefault(weight: Tensor, bias: Tensor?) throws {
        try kaimingUniform(weight, a: (5.0).squareRoot())
        if let bias {
            let (fi, _) = try fans(weight)
            try fillUniform(bias, fi > 0 ? 1 / Double(fi).squareRoot() : 0)
        }
    }
}
