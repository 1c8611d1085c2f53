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

    /// Writes r·cos θ for the m pairs to `out[0..<m]` and r·sin θ to `out[m..<2m]` (the last sine left out
    /// when `count` is odd).
    @inline(__always)
    static func transform(
        _ u1: UnsafePointer<Float>, _ u2: UnsafePointer<Float>, _ m: Int, _ out: UnsafeMutablePointer<Float>,
        _ count: Int
    ) {
        let sines = out + m
        let whole = count == 2 * m ? m : m - 1
        for i in 0..<whole {
            let r = (-2 * log(u1[i])).squareRoot()
            let (s, c) = sinCosTurn(u2[i])
            out[i] = r * c
            sines[i] = r * s
        }
        if whole < m {
            out[m - 1] = (-2 * log(u1[m - 1])).squareRoot() * sinCosTurn(u2[m - 1]).1
        }
    }

    /// ln x for x in (0, 1] without subnormals (Cephes `logf`).
    @inline(__always)
    static func log(_ x: Float) -> Float {
        let bits = x.bitPattern
        var e = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 126)
        var f = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F00_0000)  // mantissa in [0.5, 1)
        let small = f < 0.707106781186547524
        e = small ? e - 1 : e
        f = small ? f + f - 1 : f - 1
        let z = f * f
        var y: Float = 7.0376836292e-2
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
    static func sinCosTurn(_ u: Float) -> (Float, Float) {
        let q = (u * 4).rounded(.toNearestOrEven)  // the nearest quarter turn, 0…4
        let a = (u * 4 - q) * (Float.pi / 2)  // in [−π/4, π/4]
        let z = a * a
        var s: Float = -1.9515295891e-4
        s = s * z + 8.3321608736e-3
        s = s * z - 1.6666654611e-1
        s = s * z * a + a
        var c: Float = 2.443315711809948e-5
        c = c * z - 1.388731625493765e-3
        c = c * z + 4.166664568298827e-2
        c = c * z * z - 0.5 * z + 1
        let k = Int32(q) & 3
        let swap = (k & 1) != 0
        let sn = swap ? c : s, cs = swap ? s : c
        // quarter 1: (cos a, −sin a); 2: (−sin a, −cos a); 3: (−cos a, sin a)
        return ((k & 2) != 0 ? -sn : sn, ((k + 1) & 2) != 0 ? -cs : cs)
    }
}
