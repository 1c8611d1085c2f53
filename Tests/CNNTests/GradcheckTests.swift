import Testing
@testable import CNN

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
        #expect(err < 1e-6, "\(op.name): max relative error \(err)")
    }

    @Test func catalogueCoversEveryRecordedPrimitive() throws {
        // Every primitive name recorded by some catalogue entry (a new op must join the list).
        var seen = Set<String>()
        for op in OpCatalog.all {
            let inputs = try op.shapes.enumerated().map { i, s -> Tensor in
                let t = try sample(s, positive: op.positive, seed: UInt64(i)); t.requiresGrad = true; return t
            }
            var stack = [try op.f(inputs)]
            while let t = stack.popLast() {
                if let n = t.node { seen.insert(n.name); stack += n.inputs }
            }
        }
        let primitives = [
            "add", "sub", "mul", "div", "neg", "exp", "log", "sqrt", "abs", "pow", "clamp", "relu", "leaky_relu",
            "elu", "sigmoid", "tanh", "sum", "max", "min", "matmul", "reshape", "permute", "index", "concat",
            "pad", "expand", "conv2d", "im2col", "col2im", "max_pool2d", "avg_pool2d", "log_softmax", "cross_entropy",
            "maximum",
            "minimum", "softmax", "gather", "remainder", "squeeze", "unsqueeze", "contiguous",
            "adaptive_avg_pool2d",
        ]
        for p in primitives { #expect(seen.contains(p), "primitive \(p) is not exercised by OpCatalog") }
    }

    @Test func gradcheckDetectsAWrongGradient() throws {
        // A deliberately wrong pullback must be caught: the check can fail.
        let x = try sample([3], seed: 1); x.requiresGrad = true
        let err = try Gradcheck.check(
            { xs in
                let out = try xs[0].detach() * 2
                return record(out, "wrong", [xs[0]]) { g in [try g * 3] }
            }, [x])
        #expect(err > 0.1)
    }
}
