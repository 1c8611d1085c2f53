import Synchronization

/// A seeded generator of our own (xoshiro256**, seeded by SplitMix64), so the same
/// seed gives the same numbers on every platform and every run.
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
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller, both values used).
    public mutating func normal() -> Double {
        if let n = spareNormal { spareNormal = nil; return n }
        var u1 = uniform()
        while u1 <= 1e-300 { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * _log(u1)).squareRoot()
        let th = 2 * Double.pi * u2
        spareNormal = r * _sin(th)
        return r * _cos(th)
    }

    /// Uniform integer in 0..<n.
    public mutating func int(below n: Int) -> Int {
        guard n > 0 else { return 0 }
        return Int(next() % UInt64(n))
    }
}

@inline(__always) func _log(_ x: Double) -> Double { Double.log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Foundation_sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation_cos(x) }

/// A generator shared by the ops of one session (or the process), behind a lock.
public final class RandomSource: Sendable {
    let gen: Mutex<RandomGenerator>
    public init(seed: UInt64 = 0x5EED) { gen = Mutex(RandomGenerator(seed: seed)) }
}

/// The generator behind `randn`, `rand`, initialisers, dropout and shuffling: the task's
/// `RandomSource` (each Stride session installs its own, so `seed(n)` in one notebook is not
/// disturbed by another), or a process-wide one.
public enum GlobalRandom {
    public static let process = RandomSource()
    @TaskLocal public static var current: RandomSource = process
    /// Reseeds the current source: every draw after this is reproducible.
    public static func seed(_ s: UInt64) { current.gen.withLock { $0 = RandomGenerator(seed: s) } }
    /// Runs `body` with exclusive access to the current generator.
    public static func with<R>(_ body: (inout RandomGenerator) throws -> R) rethrows -> R {
        try current.gen.withLock { try body(&$0) }
    }
}
