import CNN

/// Generates random, mostly well-formed programs over the language's grammar and builtins.
struct Gen {
    var rng: RandomGenerator
    init(rng: inout RandomGenerator) { self.rng = RandomGenerator(seed: rng.next()) }
    var names = ["a", "b", "x", "t", "m", "xs"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.int(below: xs.count)] }

    mutating func shape() -> String {
        (0..<(1 + rng.int(below: 4))).map { _ in String(rng.int(below: 5)) }.joined(separator: ", ")
    }

    mutating func expr(_ depth: Int = 0) -> String {
        if depth > 4 { return pick(["1", "2.5", "x", "t", "-3", "true", "nil", "\"s\""]) }
        switch rng.int(below: 24) {
        case 0:
            return
                "\(expr(depth + 1)) \(pick(["+", "-", "*", "/", "%", "@", "==", "<", "&&", "||"])) \(expr(depth + 1))"
        case 1: return "\(pick(["zeros", "ones", "randn", "rand"]))(\(shape()))"
        case 2: return "tensor(\(list(depth + 1)))"
        case 3:
            return
                "\(pick(["relu", "sigmoid", "tanh", "softmax", "flatten", "exp", "log", "sqrt", "abs", "swish", "leaky_relu", "elu"]))(\(expr(depth + 1)))"
        case 4:
            return
                "conv2d(randn(\(shape())), randn(\(shape())), \(pick(["nil", "randn(2)", "zeros(3)"])), stride: \(rng.int(below: 4)), padding: \(rng.int(below: 3) - 1))"
        case 5: return "max_pool2d(randn(\(shape())), \(rng.int(below: 4)), stride: \(rng.int(below: 3)))"
        case 6: return "\(pick(names))[\(idx())]"
        case 7:
            return
                "\(pick(names)).\(pick(["shape", "T", "grad", "sum()", "mean(dim: 1)", "reshape(-1)", "reshape(2, -1)", "max(dim: 0)", "item()", "count", "backward()", "permute(1, 0)", "pad(1)", "clamp(min: 0)", "squeeze()", "unsqueeze(0)", "std()", "argmax()"]))"
        case 8: return "[\(expr(depth + 1)), \(expr(depth + 1))]"
        case 9: return "(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 10:
            return
                "\(pick(["Conv2d(\(rng.int(below: 4)), \(rng.int(below: 4)), kernel: \(rng.int(below: 4)))", "Linear(\(rng.int(below: 5)), 2)", "MaxPool2d(2)", "ReLU()", "BatchNorm2d(\(rng.int(below: 4)))", "Sequential(Flatten(), Linear(4, 2))", "Dropout(0.5)", "LocalResponseNorm(3)", "SqueezeExcite(4, reduction: 2)"]))(\(expr(depth + 1)))"
        case 11:
            return
                "\(pick(["cross_entropy", "hinge_loss", "mse_loss", "matmul", "allclose", "rel_error", "concat"]))(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 12: return "\(rng.int(below: 2000) - 1000)"
        case 13: return "\"\\(\(expr(depth + 1)))\""
        case 14:
            return
                "\(pick(["out_size(7, kernel: 3, stride: 3)", "im2col(randn(1, 2, 5, 5), kernel: 3)", "paramcount(Conv2d(3, 10, kernel: 5))", "gradcheck(relu, randn(3))", "summary(Sequential(Conv2d(1, 2, kernel: 3)), input: [1, 1, 5, 5])", "shapes(4, size: 8)", "Int(\(expr(depth + 1)))", "type(\(expr(depth + 1)))"]))"
        case 15: return "\(expr(depth + 1)) ? \(expr(depth + 1)) : \(expr(depth + 1))"
        case 16: return "\(expr(depth + 1)) ** \(pick(["2", "-1", "0.5", "x", "64", "a"]))"
        case 17: return closure(depth + 1)
        case 18:
            return
                "[\(pick(["\"W1\"", "1", "\"b\""])): \(expr(depth + 1)), \(pick(["\"W1\"", "2", "\"c\""])): \(expr(depth + 1))]"
        case 19:
            return
                "\(pick(names))[\(pick(["arange(2), [1, 0]", "x > 0", "[0, 2]", ":, [0, -1]", "tensor([1, 1])", "[]", "[5]"]))]"
        case 20: return "\(pick(["map", "filter"]))(\(expr(depth + 1)), \(closure(depth + 1)))"
        case 21:
            return "\(pick(["Blk", "L", "Sequential(Blk(2), { v in v * 2 })", "affine", "g", "c"]))(\(expr(depth + 1)))"
        case 22: return "\(pick(["grad", "gradcheck"]))(\(pick(["affine", "relu", "g"])), \(expr(depth + 1)))"
        default: return "-\(expr(depth + 1))"
        }
    }
    /// A closure of zero, one or two parameters, sometimes recursive through a captured variable.
    mutating func closure(_ depth: Int) -> String {
        switch rng.int(below: 5) {
        case 0: return "{ \(expr(depth + 1)) }"
        case 1: return "{ v in \(expr(depth + 1)) }"
        case 2: return "{ (p, q) in p \(pick(["+", "*", ">", "@"])) q }"
        case 3: return "{ v in g(v) }"
        default: return "{ v in\n let w = \(expr(depth + 1))\n return v \(pick(["+", "*", "-"])) w }"
        }
    }
    /// A layer declaration: fields (layers, parameters, buffers, lists, plain values), methods and `forward`.
    mutating func layerDecl() -> String {
        let field = pick([
            "let conv = Conv2d(c, c, kernel: \(rng.int(below: 4)), padding: 1)", "var w = parameter(randn(\(shape())))",
            "let stats = buffer(zeros(c))", "let subs = []\n for i in 0..<\(rng.int(below: 3)) { subs.append(ReLU()) }",
            "var scale = \(expr(2))", "let inner = \(pick(["Blk(c)", "L(c)", "nil", "Sequential(ReLU())"]))",
        ])
        let body = pick([
            "return relu(x) * \(expr(2))", "return conv(x)", "return x + w", "for s in subs { x = s(x) }; return x",
            "return training ? x : -x", "return self.helper(x)", "return inner(x)", "return affine(x, w, w)",
        ])
        return "layer \(pick(["L", "Blk", "Net"]))(c\(pick(["", ", k: 2", ", depth: 1"]))) {\n \(field)\n"
            + " func helper(x) { return x * 2 }\n func forward(x) { \(body) }\n}"
    }
    /// An op declaration: output and a backward closure, sometimes with wrong shapes or counts.
    mutating func opDecl() -> String {
        let back = pick([
            "(dout @ w.T, x.T @ dout, dout.sum(dim: 0))", "(dout, dout, dout)", "dout", "(nil, nil, nil)",
            "(dout @ w.T, nil)", "\(expr(2))",
        ])
        return "op affine(x, w, b) {\n let out = \(pick(["x @ w + b", "x * w", "\(expr(2))"]))\n"
            + " return \(pick(["(out, { dout in \(back) })", "out", "(out, 3)", "(out, { \(back) })"]))\n}"
    }
    mutating func list(_ depth: Int) -> String {
        depth > 3
            ? String(rng.int(below: 9))
            : "["
                + (0..<rng.int(below: 4)).map { _ in
                    rng.int(below: 4) == 0 ? list(depth + 1) : String(rng.uniform() * 4 - 2)
                }.joined(separator: ", ") + "]"
    }
    mutating func idx() -> String {
        (0..<(1 + rng.int(below: 3))).map { _ in
            pick(["0", "-1", ":", "1:", "::2", "::-1", "...", "5", "0:1", "nil", "x"])
        }.joined(separator: ", ")
    }
    mutating func stmt(_ depth: Int = 0) -> String {
        switch rng.int(below: 12) {
        case 0: return "let \(pick(names)) = \(expr())"
        case 1: return "var \(pick(names)) = \(expr())"
        case 2: return "\(pick(names)) = \(expr())"
        case 3: return depth > 2 ? expr() : "if \(expr()) { \(stmt(depth + 1)) } else { \(stmt(depth + 1)) }"
        case 4: return depth > 2 ? expr() : "for i in 0..<\(rng.int(below: 5)) { \(stmt(depth + 1)) }"
        case 5:
            return depth > 2 ? expr() : "func f(\(pick(["", "p", "p, q: 2"]))) { \(stmt(depth + 1)); return \(expr()) }"
        case 6: return "print(\(expr()))"
        case 7: return "\(pick(names))[\(idx())] = \(expr())"
        case 8: return "f(\(expr()))"
        case 9: return rng.int(below: 2) == 0 ? layerDecl() : opDecl()
        default: return expr()
        }
    }
    static let prelude = """
        var x = randn(2, 3)
        var t = randn(1, 2, 4, 4)
        var a = 1
        var b = 2.5
        var xs = [1, 2, 3]
        var m = Sequential(Conv2d(2, 3, kernel: 3, padding: 1), ReLU(), Flatten(), Linear(48, 2))
        var g = { v in v }
        func counter() { var n = 0; return { n += 1; return n } }
        var c = counter()
        var d = ["W1": randn(3, 2), "b1": zeros(2)]

        """
    mutating func program() -> String {
        let body = (0..<(1 + rng.int(below: 8))).map { _ in stmt() }.joined(separator: pick(["\n", "; ", "\n\n"]))
        return rng.int(below: 5) == 0 ? body : Self.prelude + body
    }
}
