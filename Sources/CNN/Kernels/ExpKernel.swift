/// Float32 eˣ eight lanes at a time, as Cephes' `expf` computes it: x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2
/// split in two parts so r is exact), eʳ by a degree-6 polynomial, and 2ⁿ multiplied in through the exponent
/// bits in two halves, so results down into the subnormal range stay right. About 1 ulp from the true value
/// (tested against Float64); +∞ above ln(Float.greatestFiniteMagnitude), 0 below ln of the smallest
/// subnormal, NaN for NaN. libm's `expf` is one call per value; this is straight-line code in vector
/// registers (softmax, log_softmax, cross-entropy and `exp` run through it).
enum ExpKernel {
    typealias Lanes = SIMD8<Float>

    /// Above this eˣ overflows to +∞.
    static let overflow: Float = 88.72283935546875
    /// Below this eˣ rounds to 0.
    static let underflow: Float = -103.97208404541015625

    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        // clamped with selects (the standard library's pointwise min and max were calls here, not instructions)
        var v = x.replacing(with: overflow, where: x .> overflow)
        v.replace(with: underflow, where: v .< underflow)
        let n = (v * 1.44269504088896341).rounded(.toNearestOrEven)
        let r = v - n * 0.693359375 + n * 2.12194440e-4
        let z = r * r
        var p = Lanes(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * z + r + 1
        // n (−150…128) as an integer, read from the bits of n + 1.5·2²³, then 2ⁿ as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋)
        let k = unsafeBitCast(n + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let k1 = k &>> 1
        let k2 = k &- k1
        let s1 = unsafeBitCast((k1 &+ 127) &<< 23, to: Lanes.self)
        let s2 = unsafeBitCast((k2 &+ 127) &<< 23, to: Lanes.self)
        var y = p * s1 * s2
        y.replace(with: .infinity, where: x .> overflow)
        y.replace(with: 0, where: x .< underflow)
        y.replace(with: x, where: x .!= x)
        return y
    }

    /// One value (the first lane of the vector version).
    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Lanes(repeating: x))[0] }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    }

    /// y[i] = e^(x[i] − shift) for i in 0..<n; returns their sum.
    @inline(__always)
    @discardableResult
    static func exp(
        _ x: UnsafePointer<Float>, minus shift: Float, _ y: UnsafeMutablePointer<Float>?, _ n: Int
    ) -> Float {
        var sum = Lanes()
        var i = 0
        while i + 8 <= n {
            let e = exp(load(x + i) - shift)
            if let y { store(e, y + i) }
            sum += e
            i += 8
        }
        var s = sum.sum()
        while i < n {
            let e = exp(x[i] - shift)
            y?[i] = e
            s += e
            i += 1
        }
        return s
    }

    /// The largest of x[0..<n] (NaNs ignored; −∞ for none).
    @inline(__always)
    static func max(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = Lanes(repeating: -.infinity)
        var i = 0
        while i + 8 <= n {
            let v = load(x + i)
            m.replace(with: v, where: v .> m)
            i += 8
        }
        var s = m.max()
        while i < n {
            s = Swift.max(s, x[i])
            i += 1
        }
        return s
    }
}

extension Float {
    /// `p` as a Float pointer when `T` is Float, else nil: how a generic kernel takes a Float32-only path.
    @inline(__always)
    static func pointer<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float>? {
        T.self == Float.self ? UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self) : nil
    }
}
