import Foundation

/// Batch norm in training as one primitive, forward and backward together: per channel, the statistics and the
/// scaled output in two passes over the input, and a backward of two passes (the channel sums, then the input
/// gradient) — instead of the seven elementwise ops and reductions, each with its own buffers, that the composed
/// form records. Channels run in parallel; sums accumulate in Double.
///
/// Forward: μ_c, σ²_c (biased) over N·H·W, x̂ = (x − μ)/√(σ² + ε), y = γ x̂ + β.
/// Backward: ∂β = Σ dy, ∂γ = Σ dy·x̂, ∂x = γ/(M √(σ² + ε)) · (M dy − ∂β − x̂ ∂γ) with M = N·H·W.
struct BatchNormTraining {
    let n: Int, c: Int, inner: Int
    var m: Int { n * inner }

    init(_ shape: [Int]) {
        n = shape[0]
        c = shape[1]
        inner = shape.count == 4 ? shape[2] * shape[3] : 1
    }

    /// y, and each channel's mean and biased variance (for the running statistics).
    static func forward(
        _ x0: Tensor, weight: Tensor?, bias: Tensor?, eps: Double
    ) throws -> (y: Tensor, mean: [Double], variance: [Double]) {
        let x = try x0.detach().contiguous()
        let plan = BatchNormTraining(x.shape)
        let y = try Tensor(shape: x.shape, dtype: x.dtype, zeroed: false)
        let stats = try Tensor(shape: [2, plan.c], dtype: .float64, zeroed: false)  // mean, then variance
        let gamma = try weight.map { try $0.detach().to(.float64).contiguous() }
        let beta = try bias.map { try $0.detach().to(.float64).contiguous() }
        func run<T: TensorScalar>(_: T.Type) throws {
            let xp = x.data(T.self), yp = y.data(T.self), sp = stats.data(Double.self)
            let gp = gamma?.data(Double.self), bp = beta?.data(Double.self)
            try Parallel.forEach(plan.c, grain: 1) { channels in
                for ch in channels {
                    let (mu, v) = plan.moments(xp, ch)
                    sp[ch] = mu
                    sp[plan.c + ch] = v
                    let inv = 1 / (v + eps).squareRoot()
                    let scale = (gp?[ch] ?? 1) * inv
                    let shift = (bp?[ch] ?? 0) - mu * scale
                    let sc = T(scale), sh = T(shift)
                    for i in 0..<plan.n {
                        let o = (i * plan.c + ch) * plan.inner
                        for j in 0..<plan.inner { yp[o + j] = xp[o + j] * sc + sh }
                    }
                }
            }
        }
        switch x.dtype {
        case .float64: try run(Double.self)
        default: try run(Float.self)
        }
        let s = stats.values
        return (y, Array(s[0..<plan.c]), Array(s[plan.c...]))
    }

    /// A channel's mean and biased variance, two passes in Double.
    func moments<T: TensorScalar>(_ xp: UnsafeMutablePointer<T>, _ ch: Int) -> (Double, Double) {
        var s = 0.0
        for i in 0..<n {
            let row = xp + (i * c + ch) * inner
            s += Self.sum8(inner) { Double(row[$0]) }
        }
        let mu = s / Double(m)
        var q = 0.0
        for i in 0..<n {
            let row = xp + (i * c + ch) * inner
            q += Self.sum8(inner) { j in
                let d = Double(row[j]) - mu
                return d * d
            }
        }
        return (mu, q / Double(m))
    }

    /// Σ f(j) over 0..<count in eight running sums: one running sum waits on every addition, eight
    /// independent ones vectorise.
    @inline(__always)
    static func sum8(_ count: Int, _ f: (Int) -> Double) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0
        var j = 0
        while j + 8 <= count {
            a0 += f(j)
            a1 += f(j + 1)
            a2 += f(j + 2)
            a3 += f(j + 3)
            a4 += f(j + 4)
            a5 += f(j + 5)
            a6 += f(j + 6)
            a7 += f(j + 7)
            j += 8
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
        while j < count {
            s += f(j)
            j += 1
        }
        return s
    }

    /// The gradients for x, γ and β (nil where not wanted) from the upstream gradient.
    static func backward(
        _ g0: Tensor, x x0: Tensor, weight: Tensor?, mean: [Double], variance: [Double], eps: Double,
        wantX: Bool, wantWeight: Bool, wantBias: Bool
    ) throws -> (Tensor?, Tensor?, Tensor?) {
        let x = try x0.detach().contiguous(), g = try g0.contiguous()
        let plan = BatchNormTraining(x.shape)
        let dx = wantX ? try Tensor(shape: x.shape, dtype: x.dtype, zeroed: false) : nil
        let sums = try Tensor(shape: [2, plan.c], dtype: .float64, zeroed: false)  // Σ dy, Σ dy·x̂
        let gamma = try weight.map { try $0.detach().to(.float64).contiguous() }
        let stats = try Tensor(mean + variance, shape: [2, plan.c], dtype: .float64)
        func run<T: TensorScalar>(_: T.Type) throws {
            let xp = x.data(T.self), gp = g.data(T.self), dxp = dx?.data(T.self)
            let sp = sums.data(Double.self), st = stats.data(Double.self), wp = gamma?.data(Double.self)
            try Parallel.forEach(plan.c, grain: 1) { channels in
                for ch in channels {
                    let mu = st[ch], inv = 1 / (st[plan.c + ch] + eps).squareRoot()
                    var sdy = 0.0, sdyx = 0.0
                    for i in 0..<plan.n {
                        let o = (i * plan.c + ch) * plan.inner
                        let dyRow = gp + o, xRow = xp + o
                        sdy += Self.sum8(plan.inner) { Double(dyRow[$0]) }
                        sdyx += Self.sum8(plan.inner) { Double(dyRow[$0]) * (Double(xRow[$0]) - mu) }
                    }
                    sdyx *= inv
                    sp[ch] = sdy
                    sp[plan.c + ch] = sdyx
                    guard let dxp else { continue }
                    let mm = Double(plan.m)
                    let k = (wp?[ch] ?? 1) * inv / mm
                    // dx = k (M dy − Σdy − x̂ Σdy·x̂) = a·dy + b·x + c0 with x̂ = (x − μ)·inv
                    let a = T(k * mm), b = T(-k * inv * sdyx), c0 = T(-k * sdy + k * inv * sdyx * mu)
                    for i in 0..<plan.n {
                        let o = (i * plan.c + ch) * plan.inner
                        for j in 0..<plan.inner { dxp[o + j] = a * gp[o + j] + b * xp[o + j] + c0 }
                    }
                }
            }
        }
        switch x.dtype {
        case .float64: try run(Double.self)
        default: try run(Float.self)
        }
        let s = sums.values
        let dtype = weight?.dtype ?? x.dtype
        let db = wantBias ? try Tensor(Array(s[0..<plan.c]), shape: [plan.c], dtype: dtype) : nil
        let dw = wantWeight ? try Tensor(Array(s[plan.c...]), shape: [plan.c], dtype: dtype) : nil
        return (dx, dw, db)
    }
}

/// Training-mode batch norm over (N, C, H, W) or (N, C) as one recorded node; returns the output and each
/// channel's batch mean and biased variance.
func batchNormTrainingNode(
    _ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Double
) throws -> (Tensor, [Double], [Double]) {
    let (y, mean, variance) = try BatchNormTraining.forward(x, weight: weight, bias: bias, eps: eps)
    let inputs = [x] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
    let out = record(y, .batchNorm, inputs, saving: [x] + (weight.map { [$0] } ?? [])) { g in
        let (dx, dw, db) = try BatchNormTraining.backward(
            g, x: x, weight: weight, mean: mean, variance: variance, eps: eps, wantX: x.requiresGrad,
            wantWeight: weight?.requiresGrad ?? false, wantBias: bias?.requiresGrad ?? false)
        return [dx] + (weight == nil ? [] : [dw]) + (bias == nil ? [] : [db])
    }
    return (out, mean, variance)
}
