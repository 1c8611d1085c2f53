import Foundation
import Synchronization

/// A seeded generator of our own (xoshiro256**, seeded by SplitMix64), so the same seed gives the same
/// numbers on every platform and every run.
public struct RandomGenerator: Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)
    var spareNormal: Double? = nil

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inline(__always) public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always) public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in (0, 1] (safe for a logarithm).
    @inline(__always) mutating func uniformOpenZero() -> Double { Double((next() >> 11) + 1) * 0x1.0p-53 }

    /// Standard normal (Box–Muller, both values used).
    public mutating func normal() -> Double {
        if let n = spareNormal {
            spareNormal = nil
            return n
        }
        let (a, b) = normalPair()
        spareNormal = b
        return a
    }

    /// Two independent standard normals.
    @inline(__always) mutating func normalPair() -> (Double, Double) {
        let r = (-2 * Foundation.log(uniformOpenZero())).squareRoot()
        let th = 2 * Double.pi * uniform()
        return (r * Foundation.cos(th), r * Foundation.sin(th))
    }

    /// Uniform integer in 0..<n (unbiased).
    public mutating func int(below n: Int) -> Int {
        guard n > 1 else { return 0 }
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            let m = r.multipliedFullWidth(by: bound)
            if m.low >= threshold { return Int(m.high) }
        }
    }
}

/// A generator shared by the ops of one session (or the process), behind a lock.
public final class RandomSource: Sendable {
    let gen: Mutex<RandomGenerator>
    public init(seed: UInt64 = 0x5EED) { gen = Mutex(RandomGenerator(seed: seed)) }
}

/// The generator behind `randn`, `rand`, initialisers, dropout and shuffling: the task's `RandomSource`
/// (each Stride session installs its own, so `seed(n)` in one notebook is not disturbed by another), or a
/// process-wide one.
public enum GlobalRandom {
    public static let process = RandomSource()
    @TaskLocal public static var current: RandomSource = process

    /// Reseeds the current source: every draw after this is reproducible.
    public static func seed(_ s: UInt64) { current.gen.withLock { $0 = RandomGenerator(seed: s) } }

    /// Runs `body` with exclusive access to the current generator.
    public static func with<R>(_ body: (inout RandomGenerator) throws -> R) rethrows -> R {
        try current.gen.withLock { try body(&$0) }
    }

    /// Fills `n` elements in parallel chunks. Each chunk has its own generator seeded from one draw of the
    /// session's generator and the chunk's index, so the numbers depend on the seed alone, not on the
    /// number of cores; the interrupt is checked between chunks.
    static func fill(_ n: Int, _ body: @escaping (inout RandomGenerator, Range<Int>) -> Void) throws {
        let base = with { $0.next() }
        let grain = 1 << 15
        try Parallel.forEach(n, grain: grain) { r in
            var g = RandomGenerator(seed: base ^ (UInt64(r.lowerBound / grain) &* 0x9E37_79B9_7F4A_7C15))
            body(&g, r)
        }
    }
}
