import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

/// Float32 normals: the polynomial logarithm and sine/cosine against libm in Double on the same uniforms,
/// and the samples' moments.
@Suite struct NormalKernelTests {
    @Test func polynomialsMatchLibm() {
        var worstLog = 0.0, worstTrig = 0.0
        for k in stride(from: 0, to: 1 << 24, by: 997) {
            let u1 = Float(k + 1) * 0x1p-24, u2 = Float(k) * 0x1p-24
            let l = Double(NormalKernel.log(u1)), le = Foundation.log(Double(u1))
            worstLog = max(worstLog, abs(l - le) / max(1, abs(le)))
            let (s, c) = NormalKernel.sinCosTurn(u2)
            let th = 2 * Double.pi * Double(u2)
            worstTrig = max(worstTrig, abs(Double(s) - Foundation.sin(th)), abs(Double(c) - Foundation.cos(th)))
        }
        #expect(worstLog < 3e-7 && worstTrig < 3e-7, "log \(worstLog), sin/cos \(worstTrig)")
        // the quarter turns land exactly
        #expect(NormalKernel.sinCosTurn(0) == (0, 1))
        #expect(NormalKernel.sinCosTurn(0.25) == (1, 0))
        #expect(NormalKernel.sinCosTurn(0.5) == (0, -1))
        #expect(NormalKernel.sinCosTurn(0.75) == (-1, 0))
    }

    @Test func samplesAreStandardNormal() throws {
        let t = try GlobalRandom.$current.withValue(RandomSource(seed: 5)) { try Tensor.randn([1_000_001]) }
        let v = t.values
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
        #expect(abs(mean) < 0.005 && abs(variance - 1) < 0.005, "mean \(mean), variance \(variance)")
        // tails as a normal's: P(|x| > 2) ≈ 0.0455, P(|x| > 3) ≈ 0.0027
        let over2 = Double(v.filter { abs($0) > 2 }.count) / Double(v.count)
        let over3 = Double(v.filter { abs($0) > 3 }.count) / Double(v.count)
        #expect(abs(over2 - 0.0455) < 0.002 && abs(over3 - 0.0027) < 0.0005, "\(over2) \(over3)")
        #expect(v.allSatisfy { $0.isFinite })
        // an odd count: the last value is written, nothing past it
        let odd = try GlobalRandom.$current.withValue(RandomSource(seed: 6)) { try Tensor.randn([3]) }
        #expect(odd.values.allSatisfy { $0.isFinite && $0 != 0 })
    }
}
