import Testing
@testable import CNN
@testable import StrideTestSupport

/// Float64 central-difference gradient checks over the whole op catalogue.
@Suite struct GradcheckTests {
    @Test(arguments: OpCatalog.all)
    func gradientMatchesCentralDifferences(_ op: OpCase) throws {
        let inputs = try op.shapes.enumerated().map { i, s in
            let t = try sample(s, positive: op.positive, seed: UInt64(100 + i))
            t.requiresGrad = true
            return t
        }
        // Weight the output by fixed random numbers so no gradient is identically zero.
        let probe = try op.f(inputs.map { $0.detach() })
        let weights = try sample(probe.shape, seed: 7)
        let err = try Gradcheck.check({ xs in try op.f(xs) * weights }, inputs)
        #expect(err < op.tolerance, "\(op.name): max relative error \(err)")
    }

    /// Every case of `Primitive` (the names `record` accepts) is exercised by some catalogue entry, so a new
    /// primitive without a gradcheck fails here.
    @Test func catalogueCoversEveryRecordedPrimitive() throws {
        var seen = Set<String>()
        for op in OpCatalog.all {
            let inputs = try op.shapes.enumerated().map { i, s -> Tensor in
                let t = try sample(s, positive: op.positive, seed: UInt64(i))
                t.requiresGrad = true
                return t
            }
            var stack = [try op.f(inputs)]
            while let t = stack.popLast() {
                if let n = t.node {
                    seen.insert(n.name)
                    stack += n.inputs
                }
            }
        }
        for p in Primitive.allCases where p != .convert {
            #expect(seen.contains(p.rawValue), "primitive \(p.rawValue) is not exercised by OpCatalog")
        }
        #expect(seen.contains { $0.hasPrefix(Primitive.convert.rawValue + "(") }, "no dtype conversion in OpCatalog")
    }

    @Test func gradcheckDetectsAWrongGradient() throws {
        // A deliberately wrong pullback must be caught: the check can fail.
        let x = try sample([3], seed: 1); x.requiresGrad = true
        let err = try Gradcheck.check(
            { xs in
                let out = try xs[0].detach() * 2
                return record(out, named: "wrong", [xs[0]]) { g in [try g * 3] }
            }, [x])
        #expect(err > 0.1)
    }
}
