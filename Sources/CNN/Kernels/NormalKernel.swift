/// Float32 standard normals in blocks, as PyTorch's CPU `normal_` makes them: the generator fills a block of
/// random bits (one 64-bit draw gives both uniforms of a pair), then Box–Muller turns the block into normals
/// in a loop with no calls and no branches, which the compiler vectorises — a logarithm and a sine/cosine
/// pair written as polynomials (Cephes' `logf`, `sinf` and `cosf`, accurate to about 1e-7 relative) on
/// arguments whose ranges are known: u₁ in (0, 1], the angle 2πu₂ with u₂ in [0, 1).
enum NormalKernel {
    /// Pairs per block: the cosines fill the block's first half, the sines its second.
    static let pairs = 256

    /// Fills `out[0..<n]` with normals drawn from `g`.
    static func fill(_ out: UnsafeMutablePointer<Float>, _ n: Int, _ g: inout RandomGenerator) {
        var u1 = [Float](repeating: 0, count: pairs), u2 = [Float](repeating: 0, count: pairs)
        var done = 0
        u1.withUnsafeMutableBufferPointer { b1 in
            u2.withUnsafeMutableBufferPointer { b2 in
                guard let p1 = b1.baseAddress, let p2 = b2.baseAddress else { return }
                while done < n {
                    let m = Swift.min(pairs, (n - done + 1) / 2)
                    for i in 0..<m {
                        let bits = g.next()
                        // 24 bits each: u₁ = (k + 1)·2⁻²⁴ in (0, 1] (safe for the logarithm), u₂ = k·2⁻²⁴ in [0, 1)
                        p1[i] = Float(UInt32(truncatingIfNeeded: bits >> 40) + 1) * 0x1p-24
                        p2[i] = Float(UInt32(truncatingIfNeeded: bits >> 8) & 0xFF_FFFF) * 0x1p-24
                    }
                    let count = Swift.min(2 * m, n - done)
                    transform(p1, p2, m, out + done, count)
                    done += count
                }
            }
        }
    }

    /// Eight floats at a time.
    typealias Lanes = SIMD8<Float>

    /// Writes r·cos θ for the m pairs to `out[0..<m]` and r·sin θ to `out[m..<2m]` (the last sine left out
    /// when `count` is odd), eight pairs at a time in vector registers.
    @inline(__always)
    static func transform(
        _ u1: UnsafePointer<Float>, _ u2: UnsafePointer<Float>, _ m: Int, _ out: UnsafeMutablePointer<Float>,
        _ count: Int
    ) {
        let sines = out + m
        let whole = count == 2 * m ? m : m - 1
        var i = 0
        while i + Lanes.scalarCount <= whole {
            let r = (-2 * log(load(u1 + i))).squareRoot()
            let (s, c) = sinCosTurn(load(u2 + i))
            UnsafeMutableRawPointer(out + i).storeBytes(of: r * c, as: Lanes.self)
            UnsafeMutableRawPointer(sines + i).storeBytes(of: r * s, as: Lanes.self)
            i += Lanes.scalarCount
        }
        // the last few pairs (a block's tail), one lane used
        while i < m {
            let r = (-2 * log(Lanes(repeating: u1[i]))).squareRoot()
            let (s, c) = sinCosTurn(Lanes(repeating: u2[i]))
            out[i] = r[0] * c[0]
            if i < whole { sines[i] = r[0] * s[0] }
            i += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    /// ln x for x in (0, 1] without subnormals (Cephes `logf`).
    @inline(__always)
    static func log(_ x: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        // the biased exponent as a float, exactly: 2²³ + e read back and 2²³ taken away
        var e = unsafeBitCast(((bits &>> 23) & 0xFF) | 0x4B00_0000, to: Lanes.self) - (8_388_608 + 126)
        var f = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Lanes.self)  // mantissa in [0.5, 1)
        let small = f .< 0.707106781186547524
        e = e.replacing(with: e - 1, where: small)
        f = (f - 1).replacing(with: f + f - 1, where: small)
        let z = f * f
        var y = Lanes(repeating: 7.0376836292e-2)
        y = y * f - 1.1514610310e-1
        y = y * f + 1.1676998740e-1
        y = y * f - 1.2420140846e-1
        y = y * f + 1.4249322787e-1
        y = y * f - 1.6668057665e-1
        y = y * f + 2.0000714765e-1
        y = y * f - 2.4999993993e-1
        y = y * f + 3.3333331174e-1
        y = y * f * z
        y += -2.12194440e-4 * e
        y += -0.5 * z
        return f + y + 0.693359375 * e
    }

    /// (sin 2πu, cos 2πu) for u in [0, 1): the turn is cut into quarters, the angle within the nearest quarter
    /// (|a| ≤ π/4) goes through Cephes' polynomials, and the quarter swaps and negates them.
    @inline(__always)
    static func sinCosTurn(_ u: Lanes) -> (Lanes, Lanes) {
        let q = (u * 4).rounded(.toNearestOrEven)  // the nearest quarter turn, 0…4
        let a = (u * 4 - q) * (Float.pi / 2)  // in [−π/4, π/4]
        let z = a * a
        var s = Lanes(repeating: -1.9515295891e-4)
        s = s * z + 8.3321608736e-3
        s = s * z - 1.6666654611e-1
        s = s * z * a + a
        var c = Lanes(repeating: 2.443315711809948e-5)
        c = c * z - 1.388731625493765e-3
        c = c * z + 4.166664568298827e-2
        c = c * z * z - 0.5 * z + 1
        // quarter 1: (cos a, −sin a); 2: (−sin a, −cos a); 3: (−cos a, sin a); 4 is 0
        let swap = (q .== 1) .| (q .== 3)
        let sn = s.replacing(with: c, where: swap)
        let cs = c.replacing(with: s, where: swap)
        return (
            sn.replacing(with: -sn, where: (q .== 2) .| (q .== 3)),
            cs.replacing(with: -cs, where: (q .== 1) .| (q .== 2))
        )
    }

    /// ln x for one x in (0, 1] (the vector version's first lane).
    static func log(_ x: Float) -> Float { log(Lanes(repeating: x))[0] }

    /// (sin 2πu, cos 2πu) for one u in [0, 1).
    static func sinCosTurn(_ u: Float) -> (Float, Float) {
        let (s, c) = sinCosTurn(Lanes(repeating: u))
        return (s[0], c[0])
    }
}
