import CNN
import Foundation

extension Builtins {
    /// Marks `t` as requiring grad when asked.
    static func created(_ t: Tensor, _ a: Args) throws -> Value {
        if try a.bool("requires_grad") { try t.setRequiresGrad(true) }
        return .tensor(t)
    }

    static let dtypeParam = p(
        "dtype", .dtype, .none, label: true, doc: "\"float32\" (default), \"float64\" or \"int64\"")
    static let requiresGradParam = p("requires_grad", .bool, .bool(false), label: true)

    static let creation: [Builtin] = [
        B(
            "tensor", "tensor", [p("values", .tensorLike), dtypeParam, requiresGradParam], .tensor,
            "A tensor from a number or nested list (Float32 unless dtype says otherwise; a copy when given a tensor).",
            "tensor([[1, 2], [3, 4]])"
        ) { a in
            let dt = try a.dtype() ?? .float32
            let (v, s) = try a.required("values")
            let t: Tensor
            if case .tensor(let x) = v {
                t = try x.detach().to(dt).clone()
            } else {
                t = try a.interp.toTensor(v, s, "values", like: try Tensor.zeros([], dtype: dt))
            }
            return try created(t, a)
        },
        B(
            "tensor", "zeros", [rest("shape", .shape), dtypeParam, requiresGradParam], .tensor,
            "A tensor of zeros; the shape as varargs or one list.", "zeros(2, 3)"
        ) { a in
            try created(Tensor.zeros(a.shape(), dtype: a.dtype() ?? .float32), a)
        },
        B(
            "tensor", "ones", [rest("shape", .shape), dtypeParam, requiresGradParam], .tensor, "A tensor of ones.",
            "ones([2, 3])"
        ) { a in
            try created(Tensor.ones(a.shape(), dtype: a.dtype() ?? .float32), a)
        },
        B(
            "tensor", "full", [p("shape", .shape), p("value", .number), dtypeParam, requiresGradParam], .tensor,
            "A tensor filled with one value.", "full([2, 2], 7)"
        ) { a in
            let (sv, s) = try a.required("shape")
            let shape: [Int]
            switch sv {
            case .int(let n): shape = [n]
            case .list(let l): shape = try l.items.map { try a.dim($0, s, false) }
            case .tuple(let t): shape = try t.items.map { try a.dim($0, s, false) }
            default: throw a.error(.type, "shape must be a list of Ints, got \(sv.typeName)", s)
            }
            return try created(Tensor.full(shape, a.double("value"), dtype: a.dtype() ?? .float32), a)
        },
        B(
            "tensor", "randn", [rest("shape", .shape), dtypeParam, requiresGradParam], .tensor,
            "Standard normal samples (reproducible after seed(n)).", "randn(1, 3, 32, 32)"
        ) { a in
            try created(Tensor.randn(a.shape(), dtype: a.dtype() ?? .float32), a)
        },
        B(
            "tensor", "rand", [rest("shape", .shape), dtypeParam, requiresGradParam], .tensor,
            "Uniform samples in [0, 1).",
            "rand(4, 4)"
        ) { a in
            try created(Tensor.rand(a.shape(), dtype: a.dtype() ?? .float32), a)
        },
        B(
            "tensor", "arange",
            [p("start", .number), p("end", .number, .none), p("step", .number, .int(1)), dtypeParam], .tensor,
            "Evenly spaced values below the end: arange(n) is 0..<n. All-Int arguments give an Int64 tensor, as in PyTorch.",
            "arange(0, 10, 2)"
        ) { a in
            let ints = try [a.value("start"), a.value("end"), a.value("step")].allSatisfy {
                if case .int = $0 { true } else if case .none = $0 { true } else { false }
            }
            let dt = try a.dtype() ?? (ints ? .int64 : .float32)
            let first = try a.double("start")
            if let end = try a.optDouble("end") {
                return .tensor(try Tensor.arange(first, end, step: a.double("step"), dtype: dt))
            }
            return .tensor(try Tensor.arange(0, first, step: a.double("step"), dtype: dt))
        },
        B(
            "tensor", "linspace", [p("a", .number), p("b", .number), p("n", .int), dtypeParam], .tensor,
            "n values from a to b inclusive.", "linspace(-3, 3, 61)"
        ) { a in
            .tensor(try Tensor.linspace(a.double("a"), a.double("b"), a.int("n"), dtype: a.dtype() ?? .float32))
        },
        B("tensor", "eye", [p("n", .int), dtypeParam], .tensor, "The n×n identity matrix.", "eye(3)") { a in
            .tensor(try Tensor.eye(a.int("n"), dtype: a.dtype() ?? .float32))
        },
    ]

    static func tensorList(_ a: Args, _ name: String) throws -> [Tensor] {
        let (v, s) = try a.required(name)
        switch v {
        case .list(let l): return try l.items.map { try a.interp.toTensor($0, s, name) }
        case .tuple(let t): return try t.items.map { try a.interp.toTensor($0, s, name) }
        default: throw a.error(.type, "'\(name)' must be a list of tensors, got \(v.typeName)", s)
        }
    }

    static let tensorFunctions: [Builtin] = [
        B(
            "tensor", "concat", [p("tensors", .listOf(.tensor)), p("dim", .int, .int(0), label: true)], .tensor,
            "Joins tensors along a dimension.", "concat([zeros(1, 2), ones(1, 2)], dim: 0)"
        ) { a in
            .tensor(try Tensor.concat(tensorList(a, "tensors"), dim: a.int("dim")))
        },
        B(
            "tensor", "stack", [p("tensors", .listOf(.tensor)), p("dim", .int, .int(0), label: true)], .tensor,
            "Stacks equal-shaped tensors along a new dimension.", "stack([zeros(2), ones(2)])"
        ) { a in
            let d = try a.int("dim")
            return .tensor(try Tensor.concat(try tensorList(a, "tensors").map { try $0.unsqueezed(d) }, dim: d))
        },
        B(
            "tensor", "allclose",
            [
                p("a", .tensorLike), p("b", .tensorLike), p("rtol", .float, .float(1e-5), label: true),
                p("atol", .float, .float(1e-6), label: true),
            ], .bool,
            "Whether |a − b| ≤ atol + rtol·|b| everywhere (shapes must broadcast).", "allclose(ones(2), [1, 1])"
        ) { a in
            let x = try a.tensor("a"), y = try a.tensor("b")
            let rtol = try a.double("rtol"), atol = try a.double("atol")
            let d = try withNoGrad { try (x.floating() - y.floating()).abs() - (y.floating().abs() * rtol + atol) }
            return .bool(try withNoGrad { try d.max().item() } <= 0)
        },
        B(
            "tensor", "rel_error", [p("a", .tensorLike), p("b", .tensorLike)], .float,
            "Max relative error |a − b| / max(1e-8, |a| + |b|), as gradient-check notebooks use.",
            "rel_error(ones(2), ones(2))"
        ) { a in
            .float(try Gradcheck.relError(a.tensor("a"), a.tensor("b")))
        },
        B(
            "tensor", "where", [p("condition", .tensor), p("a", .tensorLike), p("b", .tensorLike)], .tensor,
            "a where the condition is nonzero, else b (elementwise, broadcasting); the same as cond ? a : b on tensors.",
            "where(tensor([1, 0]), 5, -5)"
        ) { a in
            let c = try a.tensor("condition")
            let x = try a.tensor("a"), y = try a.tensor("b")
            return .tensor(try Tensor.select(c, x, y))
        },
    ]

    static let autograd: [Builtin] = [
        B(
            "autograd", "backward",
            [
                p("y", .tensor), p("grad", .tensor, .none, label: true),
                p("retain_graph", .bool, .bool(false), label: true),
            ], .none,
            "Backpropagates from y (a scalar, or any tensor with an upstream gradient g).",
            "let w = tensor([2.0], requires_grad: true); backward((w * w).sum())", receiver: .tensor
        ) { a in
            try a.tensor("y").backward(gradient: a.optTensor("grad"), retainGraph: a.bool("retain_graph"))
            return .none
        },
        B(
            "autograd", "zero_grad", [p("model", .any)], .none,
            "Clears the gradients of a model's parameters (or of a tensor).",
            "zero_grad(Linear(2, 2))", receiver: .tensor
        ) { a in
            let (v, s) = try a.required("model")
            switch v {
            case .layer(let l): l.zeroGrad()
            case .tensor(let t): t.zeroGrad()
            case .optimizer(let o): o.zeroGrad()
            case .list(let l): for case .tensor(let t) in l.items { t.zeroGrad() }
            default: throw a.error(.type, "expects a model, optimiser or tensor, got \(v.typeName)", s)
            }
            return .none
        },
        B(
            "autograd", "grad", [p("f", .function), p("x", .tensorLike)], .tensor,
            "d f(x) / dx for a function returning a scalar.",
            "grad({ v in (v * v).sum() }, tensor([3.0]))"
        ) { a in
            let f = try a.callable("f")
            let x = try a.tensor("x").detach().floating().clone()
            x.requiresGrad = true
            let y = try withGrad { try a.interp.apply(f, [.tensor(x)], span: a.span) }
            guard case .tensor(let yt) = y else {
                throw a.error(.type, "the function must return a tensor, got \(y.typeName)")
            }
            try yt.backward()
            return .tensor(try x.grad ?? Tensor.zeros(x.shape, dtype: x.dtype))
        },
        B(
            "autograd", "gradcheck",
            [
                p("f", .function), rest("inputs", .tensorLike),
                p("eps", .float, .float(1e-5), label: true, doc: "the step h, as in CS231n's check"),
            ], .float,
            "Compares analytic and central-difference gradients in Float64 for every tensor argument; returns the largest relative error.",
            "gradcheck({ (x, w) in (x @ w).sum() }, randn(2, 3), randn(3, 2))"
        ) { a in
            let f = try a.callable("f")
            var inputs: [Tensor] = []
            for (v, s) in a.variadic {
                // gradcheck(f, [x, w]) is accepted too: a list of tensors
                if case .list(let l) = v, a.variadic.count == 1,
                    l.items.allSatisfy({ if case .tensor = $0 { true } else { false } })
                {
                    inputs += try l.items.map { try a.interp.toTensor($0, s, "inputs") }
                } else {
                    inputs.append(try a.interp.toTensor(v, s, "inputs"))
                }
            }
            guard !inputs.isEmpty else {
                throw a.error(.type, "needs at least one tensor to check, e.g. gradcheck(f, x)")
            }
            let interp = a.interp, span = a.span
            let err = try withGrad {
                try Gradcheck.check(
                    { xs in
                        let r = try interp.apply(f, xs.map { .tensor($0) }, span: span)
                        guard case .tensor(let t) = r else {
                            throw StrideError(
                                .type, "gradcheck: the function must return a tensor, got \(r.typeName)", span: span)
                        }
                        return t
                    },
                    inputs.map { t in
                        let c = t.detach()
                        c.requiresGrad = c.dtype.isFloatingPoint
                        return c
                    }, eps: try a.double("eps"))
            }
            return .float(err)
        },
        B(
            "autograd", "detach", [p("x", .tensor)], .tensor,
            "The same values with no gradient history (shares storage).",
            "detach(randn(2))", receiver: .tensor
        ) { a in
            .tensor(try a.tensor("x").detach())
        },
        B(
            "autograd", "parameter", [p("t", .tensorLike)], .tensor,
            "A learnable tensor for a layer's field: requires grad, trained by optimisers, counted and saved.",
            "parameter(ones(1, 8, 1, 1))"
        ) { a in
            let t = try a.tensor("t").detach().floating().clone()
            t.requiresGrad = true
            t.role = .parameter
            return .tensor(t)
        },
        B(
            "autograd", "buffer", [p("t", .tensorLike)], .tensor,
            "State for a layer's field that is saved with the model but not trained (like running statistics).",
            "buffer(zeros(8))"
        ) { a in
            let t = try a.tensor("t").detach().clone()
            t.role = .buffer
            return .tensor(t)
        },
    ]
}
