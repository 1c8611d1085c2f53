import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport

/// docs/language.md §15: `op` declarations with a hand-written backward, checked by `gradcheck`.
@Suite struct OpDeclarationTests {
    let h = Harness()
    init() {
        h.run(
            """
            op affine(x, w, b) {
                let out = x @ w + b
                return (out, { dout in (dout @ w.T, x.T @ dout, dout.sum(dim: 0)) })
            }
            seed(0)
            let x = randn(4, 3, dtype: "float64")
            let w = randn(3, 2, dtype: "float64")
            let b = randn(2, dtype: "float64")
            """)
    }

    @Test func correctBackwardPassesGradcheck() throws {
        let e = try #require(h.value("gradcheck(affine, x, w, b)").flatMap(Double.init))
        #expect(e < 1e-6)
        // the same gradients as autograd through the built-in operations
        h.run(
            "let xa = x.detach()\nxa.requires_grad = true\nlet wa = w.detach()\nwa.requires_grad = true\n"
                + "let ba = b.detach()\nba.requires_grad = true\naffine(xa, wa, ba).sum().backward()\n"
                + "let xb = x.detach()\nxb.requires_grad = true\nlet wb = w.detach()\nwb.requires_grad = true\n"
                + "let bb = b.detach()\nbb.requires_grad = true\n(xb @ wb + bb).sum().backward()")
        #expect(
            h.value("allclose(xa.grad, xb.grad) && allclose(wa.grad, wb.grad) && allclose(ba.grad, bb.grad)") == "true")
    }

    @Test func wrongBackwardIsCaughtByGradcheck() throws {
        h.run("op bad(x, w) { return (x @ w, { dout in (dout @ w.T, x.T @ dout * 2) }) }")
        let e = try #require(h.value("gradcheck(bad, x, w)").flatMap(Double.init))
        #expect(e > 0.1)
    }

    /// A backward that ignores the upstream gradient is right for `sum()` only; gradcheck projects the output on
    /// a random direction, so it is caught.
    @Test func backwardIgnoringTheUpstreamGradientIsCaught() throws {
        h.run("op lazy(x) { return (x * 3, { dout in x * 0 + 3 }) }")
        let e = try #require(h.value("gradcheck(lazy, x)").flatMap(Double.init))
        #expect(e > 0.1)
        h.run("op good(x) { return (x * 3, { dout in dout * 3 }) }")
        let g = try #require(h.value("gradcheck(good, x)").flatMap(Double.init))
        #expect(g < 1e-6)
    }

    @Test func oneNodeIsRecordedAndTheBodyIsNot() {
        h.run(
            """
            var calls = 0
            op square(x) {
                let y = x * x
                return (y, { g in
                    calls += 1
                    return g * 2 * x
                })
            }
            let t = tensor([1.0, 2.0, 3.0])
            t.requires_grad = true
            let y = square(t)
            """)
        #expect(h.value("y.requires_grad") == "true")
        #expect(h.value("y.sum().backward()\n[calls, t.grad.tolist()]") == "[1, [2.0, 4.0, 6.0]]")
        // inside the body nothing is recorded: an intermediate does not require grad
        h.run("var inner = nil\nop probe(x) { inner = x * 3; return (inner, { g in g * 3 }) }\nprobe(t)")
        #expect(h.value("inner.requires_grad") == "false")
    }

    @Test func nilGradientForAnArgumentThatNeedsNone() {
        h.run("op scaled(x, k) { return (x * k, { g in (g * k, nil) }) }\nlet t = ones(3)\nt.requires_grad = true")
        #expect(h.value("scaled(t, 2.0).sum().backward()\nt.grad.tolist()") == "[2.0, 2.0, 2.0]")
        // or one gradient per tensor argument only
        h.run("op scaled1(x, k) { return (x * k, { g in g * k }) }\nlet u = ones(3)\nu.requires_grad = true")
        #expect(h.value("scaled1(u, 3.0).sum().backward()\nu.grad.tolist()") == "[3.0, 3.0, 3.0]")
        // a gradient for a number argument must be nil
        h.run("op scaled2(x, k) { return (x * k, { g in (g * k, g) }) }")
        #expect(h.error("scaled2(u, 3.0).sum().backward()")?.kind == .type)
    }

    @Test func wrongGradientShapeIsAShapeErrorNamingOpAndArgument() throws {
        h.run(
            "op wrong(x, w) { return (x @ w, { dout in (dout @ w.T, dout) }) }\nlet xr = x.detach()\nxr.requires_grad = true\n"
                + "let wr = w.detach()\nwr.requires_grad = true")
        let e = try #require(h.error("wrong(xr, wr).sum().backward()"))
        #expect(e.kind == .shape)
        #expect(e.message.contains("wrong"))
        #expect(e.message.contains("'w'"))
        #expect(e.message.contains("[4, 2]") && e.message.contains("[3, 2]"))
        // a wrong count of gradients and a body that does not return (output, closure) are errors too
        h.run("op two(x, w) { return (x @ w, { dout in dout @ w.T }) }")
        #expect(h.error("two(xr, wr).sum().backward()")?.kind == .value)
        h.run("op notpair(x) { return x }")
        #expect(h.error("notpair(xr)")?.kind == .type)
    }

    @Test func errorInsideTheBackwardPointsAtTheClosure() throws {
        h.run(
            "op broken(x) {\n    return (x * 2, { g in\n        g + undefined_name\n    })\n}\nlet q = ones(2)\nq.requires_grad = true"
        )
        let e = try #require(h.error("broken(q).sum().backward()"))
        #expect(e.kind == .name)
        #expect(e.span?.line == 3)
    }

    @Test func convolutionExerciseAsAnOp() throws {
        // the course exercise: a naive convolution forward and backward with loops, checked against conv2d
        h.run(
            """
            op myconv(x, w) {
                let (n, c, hh, ww) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
                let (f, k) = (w.shape[0], w.shape[2])
                let (ho, wo) = (hh - k + 1, ww - k + 1)
                let out = zeros(n, f, ho, wo, dtype: "float64")
                for i in 0..<ho {
                    for j in 0..<wo {
                        let patch = x[:, :, i:i + k, j:j + k].reshape(n, c * k * k)
                        out[:, :, i, j] = patch @ w.reshape(f, c * k * k).T
                    }
                }
                return (out, { dout in
                    let dx = zeros(n, c, hh, ww, dtype: "float64")
                    var dw = zeros(f, c * k * k, dtype: "float64")
                    for i in 0..<ho {
                        for j in 0..<wo {
                            let patch = x[:, :, i:i + k, j:j + k].reshape(n, c * k * k)
                            let d = dout[:, :, i, j]
                            dw += d.T @ patch
                            dx[:, :, i:i + k, j:j + k] += (d @ w.reshape(f, c * k * k)).reshape(n, c, k, k)
                        }
                    }
                    return (dx, dw.reshape(f, c, k, k))
                })
            }
            seed(4)
            let cx = randn(2, 2, 5, 5, dtype: "float64")
            let cw = randn(3, 2, 3, 3, dtype: "float64")
            """)
        #expect(h.value("allclose(myconv(cx, cw), conv2d(cx, cw, nil))") == "true")
        let e = try #require(h.value("gradcheck(myconv, cx, cw)").flatMap(Double.init))
        #expect(e < 1e-6)
    }
}
