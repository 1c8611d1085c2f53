import CNN
import StrideLang

/// Generates random, mostly well-formed programs over the language's grammar and builtins.
struct Gen {
    var rng: RandomGenerator
    init(rng: inout RandomGenerator) { self.rng = RandomGenerator(seed: rng.next()) }
    var names = ["a", "b", "x", "t", "m", "xs"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.int(below: xs.count)] }

    mutating func shape() -> String {
        (0..<(1 + rng.int(below: 4))).map { _ in int(below: 5) }.joined(separator: ", ")
    }

    /// Integers at the edges of 64 bits, where arithmetic on sizes, counts and indices overflows.
    static let hugeInts = [
        "9223372036854775807", "-9223372036854775807", "(-9223372036854775807 - 1)", "4611686018427387904",
        "-4611686018427387904", "4294967296", "2147483648", "1099511627776", "-1", "0",
    ]

    /// A small non-negative integer below `n`, or, one time in six, a huge or negative one.
    mutating func int(below n: Int) -> String {
        rng.int(below: 6) == 0 ? pick(Self.hugeInts) : String(rng.int(below: n))
    }

    /// A structure nested thousands deep (lists, dictionaries, Sequentials, residual blocks, user layers,
    /// closures capturing closures), then something done with it: printed, compared, called, saved, freed.
    mutating func deepStructure() -> String {
        let n = pick(["3", "2000", "20000", "100000"])
        let build = pick([
            "var deep = [1]\nfor i in 0..<\(n) { deep = [deep] }",
            "var deep = [\"k\": 1]\nfor i in 0..<\(n) { deep = [\"k\": deep, \"i\": i] }",
            "var deep = Sequential(ReLU())\nfor i in 0..<\(n) { deep = Sequential(deep) }",
            "var deep = Residual(ReLU())\nfor i in 0..<\(n) { deep = Residual(deep) }",
            "layer Wrap(inner) {\n let i = inner\n func forward(x) { return i(x) }\n}\n"
                + "var deep = Wrap(ReLU())\nfor i in 0..<\(n) { deep = Wrap(deep) }",
            "var deep = { v in v }\nfor i in 0..<\(n) {\n let h = deep\n deep = { v in h(v) }\n}",
        ])
        let use = pick([
            "print(deep)", "String(deep).count", "deep == deep", "deep(ones(1, 2, 2, 2))",
            "save(deep, tempdir() + \"/deep.npz\")", "summary(deep, input: [1, 2, 2, 2])", "deep = nil", "help(deep)",
            "show(deep, ones(1, 2, 2, 2))", "[deep, deep] == [deep, deep]", "let copy = deep",
        ])
        return build + "\n" + use
    }

    /// A call of any builtin in the table (functions, and methods on a receiver of the right kind), its
    /// arguments made from its declared parameter types: builtins added later are fuzzed without a change here.
    mutating func builtinCall(_ depth: Int) -> String {
        let b = pick(Self.callable)
        var positional: [String] = []
        var labelled: [String] = []
        let params = b.isFunction || b.receiver == nil ? b.params[...] : b.params.dropFirst()
        for p in params {
            let given = p.isRequired || rng.int(below: 3) == 0
            guard given else { continue }
            let v: String
            if p.variadic {
                v = (0..<(1 + rng.int(below: 3))).map { _ in argument(p.type, depth) }.joined(separator: ", ")
            } else {
                v = argument(p.type, depth)
            }
            if p.labelOnly || (!p.isRequired && rng.int(below: 2) == 0 && !p.variadic) {
                labelled.append("\(p.name): \(v)")
            } else if labelled.isEmpty {
                positional.append(v)
            }
        }
        let args = (positional + labelled).joined(separator: ", ")
        if !b.isFunction, let r = b.receiver {
            return "\(receiver(r, depth)).\(b.name)" + (b.isProperty ? "" : "(\(args))")
        }
        return "\(b.name)(\(args))"
    }

    static let callable: [Builtin] = Builtins.all.filter { !["exit", "quit", "input", "help"].contains($0.name) }

    /// A value for a parameter of type `t`.
    mutating func argument(_ t: ValueType, _ depth: Int) -> String {
        switch t {
        case .int: return int(below: 6)
        case .float, .number: return pick(["0.5", "-1.0", "1e300", "-0.0", "Float.nan", "2", int(below: 4)])
        case .bool: return pick(["true", "false"])
        case .string: return pick(["\"s\"", "\"\"", "\"float64\"", "\"nearest\"", "tempdir() + \"/f.npz\""])
        case .choice(let options): return "\"\(pick(options + ["bogus"]))\""
        case .tensor, .tensorLike:
            return pick(["randn(\(shape()))", "x", "t", "tensor(\(list(depth + 1)))", expr(depth + 1)])
        case .pair: return pick([int(below: 4), "[\(int(below: 4)), \(int(below: 4))]", "(1, 2)"])
        case .shape: return shape()
        case .layer: return pick(["ReLU()", "m", "Conv2d(2, 2, kernel: 1)", "{ v in v }", "Linear(2, 2)"])
        case .function: return closure(depth + 1)
        case .dtype: return pick(["\"float32\"", "\"float64\"", "\"int64\"", "\"bogus\""])
        case .optional(let w): return rng.int(below: 4) == 0 ? "nil" : argument(w, depth)
        case .listOf(let e): return "[\(argument(e, depth)), \(argument(e, depth))]"
        case .optimizer: return "SGD(m, lr: 0.1)"
        case .dict: return "d"
        case .list: return "xs"
        default: return expr(depth + 1)
        }
    }

    /// A value that has the members of receiver kind `r`.
    mutating func receiver(_ r: Receiver, _ depth: Int) -> String {
        switch r {
        case .tensor: return pick(["x", "t", "randn(\(shape()))"])
        case .layer: return pick(["m", "ReLU()", "Conv2d(2, 3, kernel: 3)"])
        case .list: return "xs"
        case .tuple: return "(1, 2)"
        case .dict: return "d"
        case .string: return "\"stride\""
        case .range: return "(0..<\(int(below: 5)))"
        case .optimizer: return "SGD(m, lr: 0.1)"
        case .generator: return "batches(x, size: 2)"
        case .function: return "g"
        }
    }

    mutating func expr(_ depth: Int = 0) -> String {
        if depth > 4 { return pick(["1", "2.5", "x", "t", "-3", "true", "nil", "\"s\""]) }
        switch rng.int(below: 27) {
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
                "conv2d(randn(\(shape())), randn(\(shape())), \(pick(["nil", "randn(2)", "zeros(3)"])), stride: \(int(below: 4)), padding: \(rng.int(below: 3) - 1))"
        case 5: return "max_pool2d(randn(\(shape())), \(int(below: 4)), stride: \(int(below: 3)))"
        case 6: return "\(pick(names))[\(idx())]"
        case 7:
            return
                "\(pick(names)).\(pick(["shape", "T", "grad", "sum()", "mean(dim: 1)", "reshape(-1)", "reshape(2, -1)", "max(dim: 0)", "item()", "count", "backward()", "permute(1, 0)", "pad(1)", "clamp(min: 0)", "squeeze()", "unsqueeze(0)", "std()", "argmax()"]))"
        case 8: return "[\(expr(depth + 1)), \(expr(depth + 1))]"
        case 9: return "(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 10:
            return
                "\(pick(["Conv2d(\(int(below: 4)), \(int(below: 4)), kernel: \(int(below: 4)))", "Linear(\(int(below: 5)), 2)", "MaxPool2d(2)", "ReLU()", "BatchNorm2d(\(int(below: 4)))", "Sequential(Flatten(), Linear(4, 2))", "Dropout(0.5)", "LocalResponseNorm(3)", "SqueezeExcite(4, reduction: 2)"]))(\(expr(depth + 1)))"
        case 11:
            return
                "\(pick(["cross_entropy", "hinge_loss", "mse_loss", "matmul", "allclose", "rel_error", "concat"]))(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 12: return rng.int(below: 4) == 0 ? pick(Self.hugeInts) : "\(rng.int(below: 2000) - 1000)"
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
        case 23, 24, 25: return builtinCall(depth + 1)
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
            pick([
                "0", "-1", ":", "1:", "::2", "::-1", "...", "5", "0:1", "nil", "x", pick(Self.hugeInts),
                "\(pick(Self.hugeInts)):",
            ])
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
        case 10 where depth == 0 && rng.int(below: 3) == 0: return deepStructure()
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
