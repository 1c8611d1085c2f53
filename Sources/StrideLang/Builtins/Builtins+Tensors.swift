import CNN
import Foundation

extension Builtins {
    /// A creation function of a shape given as varargs or one list (`zeros`, `ones`, `randn`, `rand`).
    static func creator(
        _ name: String, _ summary: String, _ example: String,
        _ make: @escaping @Sendable ([Int], DType) throws -> Tensor
    ) -> Builtin {
        B(.tensor, name, torch: "torch.\(name)", .tensor, summary, example) { d in
            let shape = d.shape()
            let dtype = d.dtype(), requiresGrad = d.requiresGrad()
            return { a in try created(make(a[shape], a[dtype] ?? .float32), a[requiresGrad]) }
        }
    }

    /// `zeros_like` and its kind: a tensor of `x`'s shape, in `x`'s dtype unless one is given.
    static func like(
        _ name: String, _ torch: String, _ summary: String, _ make: @escaping @Sendable ([Int], DType) throws -> Tensor
    ) -> Builtin {
        B(.tensor, name, torch: torch, .tensor, summary, "\(name)(randn(2, 3))") { d in
            let x = d.p("x", Tensor.self)
            let dtype = d.dtype(), requiresGrad = d.requiresGrad()
            return { a in
                let t = try a[x]
                var dt = try a[dtype] ?? t.dtype
                if !dt.isFloatingPoint && name.hasPrefix("rand") { dt = .float32 }
                return try created(make(t.shape, dt), a[requiresGrad])
            }
        }
    }

    /// `t`, marked as requiring grad when asked.
    static func created(_ t: Tensor, _ requiresGrad: Bool) throws -> Value {
        if requiresGrad { try t.setRequiresGrad(true) }
        return .tensor(t)
    }

    static let creation: [Builtin] = [
        B(
            .tensor, "tensor", torch: "torch.tensor", .tensor,
            "A tensor from a number or nested list (Float32 unless dtype says otherwise; a copy when given a tensor).",
            "tensor([[1, 2], [3, 4]])"
        ) { d in
            let values = d.p("values", Value.self)
            let dtype = d.dtype(), requiresGrad = d.requiresGrad()
            return { a in
                let dt = try a[dtype] ?? .float32
                let (v, s) = a.raw(values)
                let t: Tensor
                if case .tensor(let x) = v {
                    t = try x.detach().to(dt).clone()
                } else {
                    t = try toTensor(v, s, "values", like: try Tensor.zeros([], dtype: dt))
                }
                return try created(t, a[requiresGrad])
            }
        },
        creator("zeros", "A tensor of zeros; the shape as varargs or one list.", "zeros(2, 3)") {
            try Tensor.zeros($0, dtype: $1)
        },
        creator("ones", "A tensor of ones.", "ones([2, 3])") { try Tensor.ones($0, dtype: $1) },
        creator("randn", "Standard normal samples (reproducible after seed(n)).", "randn(1, 3, 32, 32)") {
            try Tensor.randn($0, dtype: $1)
        },
        creator("rand", "Uniform samples in [0, 1).", "rand(4, 4)") { try Tensor.rand($0, dtype: $1) },
        B(.tensor, "full", torch: "torch.full", .tensor, "A tensor filled with one value.", "full([2, 2], 7)") { d in
            let shape = d.p("shape", [Int].self)
            let value = d.p("value", Double.self)
            let dtype = d.dtype(), requiresGrad = d.requiresGrad()
            return { a in
                let sizes = try a[shape]
                for n in sizes where n < 0 { throw a.error(.value, "negative dimension size \(n)", a.span(of: shape)) }
                return try created(Tensor.full(sizes, a[value], dtype: a[dtype] ?? .float32), a[requiresGrad])
            }
        },
        B(
            .tensor, "arange", torch: "torch.arange", .tensor,
            "Evenly spaced values below the end: arange(n) is 0..<n. All-Int arguments give an Int64 tensor, as in "
                + "PyTorch.", "arange(0, 10, 2)"
        ) { d in
            let start = d.p("start", Number.self), end = d.p("end", Number?.self), step = d.p("step", Number.self, 1)
            let dtype = d.dtype()
            return { a in
                let (first, last, by) = (try a[start], try a[end], try a[step])
                let ints = [first, last ?? .int(0), by].allSatisfy { if case .int = $0 { true } else { false } }
                let dt = try a[dtype] ?? (ints ? .int64 : .float32)
                if let last {
                    return .tensor(try Tensor.arange(first.double, last.double, step: by.double, dtype: dt))
                }
                return .tensor(try Tensor.arange(0, first.double, step: by.double, dtype: dt))
            }
        },
        B(
            .tensor, "linspace", torch: "torch.linspace", .tensor, "n values from a to b inclusive.",
            "linspace(-3, 3, 61)"
        ) { d in
            let lo = d.p("a", Double.self), hi = d.p("b", Double.self), n = d.p("n", Int.self)
            let dtype = d.dtype()
            return { a in .tensor(try Tensor.linspace(a[lo], a[hi], a[n], dtype: a[dtype] ?? .float32)) }
        },
        B(.tensor, "eye", torch: "torch.eye", .tensor, "The n×n identity matrix.", "eye(3)") { d in
            let n = d.p("n", Int.self)
            let dtype = d.dtype()
            return { a in .tensor(try Tensor.eye(a[n], dtype: a[dtype] ?? .float32)) }
        },
        B(
            .tensor, "randint", torch: "torch.randint", .tensor,
            "Uniform random integers in [low, high) of the given shape (Int64); randint(high, shape) starts at 0.",
            "randint(0, 10, [2, 3])"
        ) { d in
            let first = d.p("low", Int.self), second = d.p("high", Value.self)
            let shape = d.p("size", [Int]?.self, doc: "the shape, a list")
            return { a in
                let (v, s) = a.raw(second)
                if case .list(let l) = v {  // randint(high, size)
                    guard try a[shape] == nil else { throw a.error(.type, "takes (low, high, size) or (high, size)") }
                    let size = try l.items.map { try intValue($0, s, "a size") }
                    return .tensor(try Tensor.randint(0, try a[first], size))
                }
                let high = try intValue(v, s, "argument 'high'")
                guard let size = try a[shape] else { throw a.error(.type, "missing argument 'size' (the shape)") }
                return .tensor(try Tensor.randint(try a[first], high, size))
            }
        },
        B(
            .tensor, "randperm", torch: "torch.randperm", .tensor, "A random permutation of 0..<n (Int64).",
            "randperm(5)"
        ) { d in
            let n = d.p("n", Int.self)
            return { a in .tensor(try Tensor.randperm(a[n])) }
        },
        like("zeros_like", "torch.zeros_like", "Zeros of x's shape (and dtype, unless given).") { s, dt in
            try Tensor.zeros(s, dtype: dt)
        },
        like("ones_like", "torch.ones_like", "Ones of x's shape (and dtype, unless given).") { s, dt in
            try Tensor.ones(s, dtype: dt)
        },
        like("randn_like", "torch.randn_like", "Standard normal samples of x's shape.") { s, dt in
            try Tensor.randn(s, dtype: dt)
        },
        like("rand_like", "torch.rand_like", "Uniform samples in [0, 1) of x's shape.") { s, dt in
            try Tensor.rand(s, dtype: dt)
        },
        B(
            .tensor, "full_like", torch: "torch.full_like", .tensor, "x's shape (and dtype) filled with one value.",
            "full_like(zeros(2, 2), 7)"
        ) { d in
            let x = d.p("x", Tensor.self), value = d.p("fill_value", Double.self)
            let dtype = d.dtype(), requiresGrad = d.requiresGrad()
            return { a in
                let t = try a[x]
                return try created(Tensor.full(t.shape, a[value], dtype: a[dtype] ?? t.dtype), a[requiresGrad])
            }
        },
    ]

    static let tensorFunctions: [Builtin] = [
        B(
            .tensor, "concat", torch: "torch.cat", .tensor, "Joins tensors along a dimension.",
            "concat([zeros(1, 2), ones(1, 2)], dim: 0)"
        ) { d in
            let tensors = d.p("tensors", [Tensor].self)
            let dim = d.label("dim", Int.self, 0)
            return { a in .tensor(try Tensor.concat(a[tensors], dim: a[dim])) }
        },
        B(
            .tensor, "stack", torch: "torch.stack", .tensor, "Stacks equal-shaped tensors along a new dimension.",
            "stack([zeros(2), ones(2)])"
        ) { d in
            let tensors = d.p("tensors", [Tensor].self)
            let dim = d.label("dim", Int.self, 0)
            return { a in
                let k = try a[dim]
                return .tensor(try Tensor.concat(try a[tensors].map { try $0.unsqueezed(k) }, dim: k))
            }
        },
        B(
            .tensor, "allclose", .bool, "Whether |a − b| ≤ atol + rtol·|b| everywhere (shapes must broadcast).",
            "allclose(ones(2), [1, 1])"
        ) { d in
            let x = d.p("a", Tensor.self), y = d.p("b", Tensor.self)
            let rtol = d.label("rtol", Double.self, 1e-5), atol = d.label("atol", Double.self, 1e-6)
            return { a in
                let (p, q, r, t) = (try a[x].floating(), try a[y].floating(), try a[rtol], try a[atol])
                let gap = try withNoGrad { try (p - q).abs() - (q.abs() * r + t) }
                return .bool(try withNoGrad { try gap.max().item() } <= 0)
            }
        },
        B(
            .tensor, "rel_error", .float,
            "Max relative error |a − b| / max(1e-8, |a| + |b|), as gradient-check notebooks use.",
            "rel_error(ones(2), ones(2))"
        ) { d in
            let x = d.p("a", Tensor.self), y = d.p("b", Tensor.self)
            return { a in .float(try Gradcheck.relError(a[x], a[y])) }
        },
        B(
            .tensor, "where", torch: "torch.where", .tensor,
            "a where the condition is nonzero, else b (elementwise, broadcasting); the same as cond ? a : b on "
                + "tensors.", "where(tensor([1, 0]), 5, -5)"
        ) { d in
            let condition = d.p("condition", Tensor.self)
            let x = d.p("a", Tensor.self), y = d.p("b", Tensor.self)
            return { a in .tensor(try Tensor.select(a[condition], a[x], a[y])) }
        },
    ]

    static let autograd: [Builtin] = [
        B(
            .autograd, "backward", torch: "torch.Tensor.backward", .none,
            "Backpropagates from y (a scalar, or any tensor with an upstream gradient g).",
            "let w = tensor([2.0], requires_grad: true); backward((w * w).sum())", receiver: .tensor
        ) { d in
            let y = d.p("y", Tensor.self)
            let grad = d.label("grad", Tensor?.self)
            let retain = d.label("retain_graph", Bool.self, false)
            return { a in
                try a[y].backward(gradient: a[grad], retainGraph: a[retain])
                return .none
            }
        },
        B(
            .autograd, "zero_grad", .none, "Clears the gradients of a model's parameters (or of a tensor).",
            "zero_grad(Linear(2, 2))", receiver: .tensor
        ) { d in
            let model = d.p("model", Value.self)
            return { a in
                let (v, s) = a.raw(model)
                switch v {
                case .layer(let l): l.zeroGrad()
                case .tensor(let t): t.zeroGrad()
                case .optimizer(let o): o.zeroGrad()
                case .list(let l): for case .tensor(let t) in l.items { t.zeroGrad() }
                default: throw a.error(.type, "expects a model, optimiser or tensor, got \(v.typeName)", s)
                }
                return .none
            }
        },
        B(
            .autograd, "grad", .tensor, "d f(x) / dx for a function returning a scalar.",
            "grad({ v in (v * v).sum() }, tensor([3.0]))"
        ) { d in
            let f = d.p("f", Callable.self)
            let xArg = d.p("x", Tensor.self)
            return { a in
                let fn = try a[f]
                let x = try a[xArg].detach().floating().clone()
                x.requiresGrad = true
                let y = try withGrad { try a.context.call(fn, [.tensor(x)]) }
                guard case .tensor(let yt) = y else {
                    throw a.error(.type, "the function must return a tensor, got \(y.typeName)")
                }
                try yt.backward()
                return .tensor(try x.grad ?? Tensor.zeros(x.shape, dtype: x.dtype))
            }
        },
        B(
            .autograd, "gradcheck", .float,
            "Compares analytic and central-difference gradients in Float64 for every tensor argument; returns the "
                + "largest relative error.", "gradcheck({ (x, w) in (x @ w).sum() }, randn(2, 3), randn(3, 2))"
        ) { d in
            let f = d.p("f", Callable.self)
            let inputsArg = d.rest("inputs", Value.self)
            let eps = d.label("eps", Double.self, 1e-5, doc: "the step h, as in CS231n's check")
            return { a in
                let fn = try a[f]
                let given = a.values(inputsArg)
                var inputs: [Tensor] = []
                for (v, s) in given {
                    // gradcheck(f, [x, w]) is accepted too: a list of tensors
                    if case .list(let l) = v, given.count == 1,
                        l.items.allSatisfy({ if case .tensor = $0 { true } else { false } })
                    {
                        inputs += try l.items.map { try toTensor($0, s, "inputs") }
                    } else {
                        inputs.append(try toTensor(v, s, "inputs"))
                    }
                }
                guard !inputs.isEmpty else {
                    throw a.error(.type, "needs at least one tensor to check, e.g. gradcheck(f, x)")
                }
                let context = a.context, span = a.span
                let err = try withGrad {
                    try Gradcheck.check(
                        { xs in
                            let r = try context.call(fn, xs.map { .tensor($0) })
                            guard case .tensor(let t) = r else {
                                throw StrideError(
                                    .type, "gradcheck: the function must return a tensor, got \(r.typeName)",
                                    span: span)
                            }
                            return t
                        },
                        inputs.map { t in
                            let c = t.detach()
                            c.requiresGrad = c.dtype.isFloatingPoint
                            return c
                        }, eps: try a[eps])
                }
                return .float(err)
            }
        },
        B(
            .autograd, "detach", torch: "torch.Tensor.detach", .tensor,
            "The same values with no gradient history (shares storage).",
            "detach(randn(2))", receiver: .tensor
        ) { d in
            let x = d.p("x", Tensor.self)
            return { a in .tensor(try a[x].detach()) }
        },
        B(
            .autograd, "parameter", .tensor,
            "A learnable tensor for a layer's field: requires grad, trained by optimisers, counted and saved.",
            "parameter(ones(1, 8, 1, 1))"
        ) { d in
            let t = d.p("t", Tensor.self)
            return { a in
                let p = try a[t].detach().floating().clone()
                p.requiresGrad = true
                p.role = .parameter
                return .tensor(p)
            }
        },
        B(
            .autograd, "buffer", .tensor,
            "State for a layer's field that is saved with the model but not trained (like running statistics).",
            "buffer(zeros(8))"
        ) { d in
            let t = d.p("t", Tensor.self)
            return { a in
                let b = try a[t].detach().clone()
                b.role = .buffer
                return .tensor(b)
            }
        },
    ]
}
