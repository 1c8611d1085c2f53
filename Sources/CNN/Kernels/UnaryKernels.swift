import Foundation

/// Elementwise loops for `UnaryFn`: the switch is hoisted out of the loop for the common functions (so
/// each loop is straight-line code the compiler can vectorise), work runs in interruptible chunks across
/// cores, and Float32 tanh/sigmoid use a rational approximation (Eigen's, accurate to a few ulp) and exp a
/// vectorised polynomial (`ExpKernel`) instead of libm. Float64 keeps libm: gradient checks run there.
enum UnaryKernels {
    static let grain = 1 << 15

    /// tanh for Float: clamp to ±7.9, then a 13/6 rational polynomial (Eigen `ptanh_float`).
    @inline(__always) static func fastTanh(_ x0: Float) -> Float {
        let x = Swift.min(Swift.max(x0, -7.90531110763549805), 7.90531110763549805)
        if Swift.abs(x0) < 0.0004 { return x0 }
        let x2 = x * x
        var p: Float = -2.76076847742355e-16
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q: Float = 1.19825839466702e-06
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        return p / q
    }

    static func forward<T: TensorScalar>(
        _ fn: UnaryFn, _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int
    ) throws {
        switch fn {
        case .relu:
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let v = x[i]
                    y[i] = v < 0 ? 0 : v
                }
            }
        case .neg: try Parallel.forEach(n, grain: grain) { r in for i in r { y[i] = -x[i] } }
        case .square: try Parallel.forEach(n, grain: grain) { r in for i in r { y[i] = x[i] * x[i] } }
        case .leakyRelu(let s):
            let k = T(s)
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let v = x[i]
                    y[i] = v < 0 ? k * v : v
                }
            }
        case .tanh where T.self == Float.self:
            let xf = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
            let yf = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
            try Parallel.forEach(n, grain: grain) { r in
                for i in r { yf[i] = xf[i].isNaN ? xf[i] : fastTanh(xf[i]) }
            }
        case .exp where T.self == Float.self:
            let xf = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
            let yf = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
            try Parallel.forEach(n, grain: grain) { r in
                ExpKernel.exp(xf + r.lowerBound, minus: 0, yf + r.lowerBound, r.count)
            }
        case .sigmoid where T.self == Float.self:
            // σ(x) = (1 + tanh(x/2)) / 2
            let xf = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self)
            let yf = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
            try Parallel.forEach(n, grain: grain) { r in
                for i in r { yf[i] = xf[i].isNaN ? xf[i] : 0.5 + 0.5 * fastTanh(0.5 * xf[i]) }
            }
        default: try Parallel.forEach(n, grain: grain) { r in for i in r { y[i] = fn.f(x[i]) } }
        }
    }

    static func backward<T: TensorScalar>(
        _ fn: UnaryFn, _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>,
        _ g: UnsafeMutablePointer<T>, _ o: UnsafeMutablePointer<T>, _ n: Int
    ) throws {
        switch fn {
        case .relu:  // NaN passes, as in PyTorch
            // both loads come first, so the choice is a select the compiler vectorises, not a branch that
            // random signs mispredict half the time
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let gv = g[i]
                    let xv = x[i]
                    o[i] = xv <= 0 ? 0 : gv
                }
            }
        case .tanh:
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let t = y[i]
                    o[i] = g[i] * (1 - t * t)
                }
            }
        case .sigmoid:
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let t = y[i]
                    o[i] = g[i] * t * (1 - t)
                }
            }
        case .neg: try Parallel.forEach(n, grain: grain) { r in for i in r { o[i] = -g[i] } }
        case .leakyRelu(let s):
            let k = T(s)
            try Parallel.forEach(n, grain: grain) { r in
                for i in r {
                    let gv = g[i]
                    o[i] = x[i] > 0 ? gv : k * gv
                }
            }
        // divided, not multiplied by a reciprocal: 1 / x overflows to inf for subnormal x, and a zero gradient
        // times inf is NaN (PyTorch computes grad / x and grad / (2 * result))
        case .log: try Parallel.forEach(n, grain: grain) { r in for i in r { o[i] = g[i] / x[i] } }
        case .sqrt: try Parallel.forEach(n, grain: grain) { r in for i in r { o[i] = g[i] / (2 * y[i]) } }
        default: try Parallel.forEach(n, grain: grain) { r in for i in r { o[i] = g[i] * fn.df(x[i], y[i]) } }
        }
    }
}
