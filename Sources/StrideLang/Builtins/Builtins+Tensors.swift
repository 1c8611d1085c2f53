import CNN
import Foundation

extension Builtins {
    static func created(_ t: Tensor, _ a: inout Arguments) throws -> Value {
        if try a.bool(nil, "requires_grad", default: false) { t.requiresGrad = true }
        return .tensor(t)
    }

    static let creation: [Builtin] = [
        B("tensor", "tensor", "tensor(values, dtype: \"float32\", requires_grad: false)", "A tensor from a number or nested list (a copy when given a tensor).", "tensor([[1, 2], [3, 4]])") { a, i in
            let dt = try a.dtype()
            let v = try a.value(0, "values")
            let t: Tensor
            if case .tensor(let x) = v { t = try x.detach().to(dt).clone() } else { t = try i.toTensor(v, a.spanOf(0), "values", like: try Tensor.zeros([], dtype: dt)) }
            return try created(t, &a)
        },
        B("tensor", "zeros", "zeros(shape…, dtype: \"float32\")", "A tensor of zeros; the shape as varargs or one list.", "zeros(2, 3)") { a, _ in
            let dt = try a.dtype(); return try created(Tensor.zeros(a.shape(), dtype: dt), &a)
        },
        B("tensor", "ones", "ones(shape…, dtype: \"float32\")", "A tensor of ones.", "ones([2, 3])") { a, _ in
            let dt = try a.dtype(); return try created(Tensor.ones(a.shape(), dtype: dt), &a)
        },
        B("tensor", "full", "full(shape, value, dtype: \"float32\")", "A tensor filled with one value.", "full([2, 2], 7)") { a, i in
            let dt = try a.dtype()
            guard a.count >= 2 else { throw a.error(.type, "full needs a shape and a value") }
            let value = try a.double(a.count - 1, "value")
            var b = a; b.positional.removeLast()
            let shape = try b.shape()
            a.usedPositional = a.count
            return try created(Tensor.full(shape, value, dtype: dt), &a)
        },
        B("tensor", "randn", "randn(shape…, dtype: \"float32\")", "Standard normal samples (reproducible after seed(n)).", "randn(1, 3, 32, 32)") { a, _ in
            let dt = try a.dtype(); return try created(Tensor.randn(a.shape(), dtype: dt), &a)
        },
        B("tensor", "rand", "rand(shape…, dtype: \"float32\")", "Uniform samples in [0, 1).", "rand(4, 4)") { a, _ in
            let dt = try a.dtype(); return try created(Tensor.rand(a.shape(), dtype: dt), &a)
        },
        B("tensor", "arange", "arange(n) or arange(start, end, step: 1)", "Evenly spaced values below the end.", "arange(0, 10, 2)") { a, _ in
            let dt = try a.dtype()
            let first = try a.double(0, "start")
            if let end = try a.optDouble(1, "end") {
                let step = try a.double(2, "step", default: 1)
                return .tensor(try Tensor.arange(first, end, step: step, dtype: dt))
            }
            return .tensor(try Tensor.arange(0, first, dtype: dt))
        },
        B("tensor", "linspace", "linspace(a, b, n)", "n values from a to b inclusive.", "linspace(-3, 3, 61)") { a, _ in
            let dt = try a.dtype()
            return .tensor(try Tensor.linspace(a.double(0, "a"), a.double(1, "b"), a.int(2, "n"), dtype: dt))
        },
        B("tensor", "eye", "eye(n)", "The n×n identity matrix.", "eye(3)") { a, _ in
            let dt = try a.dtype(); return .tensor(try Tensor.eye(a.int(0, "n"), dtype: dt))
        },
    ]

    static let tensorFunctions: [Builtin] = [
        B("tensor", "matmul", "matmul(a, b)", "Matrix product (also `a @ b`).", "matmul(w, x)") { a, _ in .tensor(try a.tensor(0, "a").matmul(a.tensor(1, "b"))) },
        B("tensor", "concat", "concat(tensors, dim: 0)", "Joins tensors along a dimension.", "concat([a, b], dim: 1)") { a, i in
            .tensor(try Tensor.concat(tensorList(&a, i, 0, "tensors"), dim: a.int(nil, "dim", default: 0)))
        },
        B("tensor", "stack", "stack(tensors, dim: 0)", "Stacks equal-shaped tensors along a new dimension.", "stack([a, b])") { a, i in
            let d = try a.int(nil, "dim", default: 0)
            let ts = try tensorList(&a, i, 0, "tensors").map { try $0.unsqueezed(d) }
            return .tensor(try Tensor.concat(ts, dim: d))
        },
        B("tensor", "allclose", "allclose(a, b, rtol: 1e-5, atol: 1e-6)", "Whether |a − b| ≤ atol + rtol·|b| everywhere (shapes must broadcast).", "allclose(conv2d(x, w), expected)") { a, _ in
            let x = try a.tensor(0, "a"), y = try a.tensor(1, "b")
            let rtol = try a.double(nil, "rtol", default: 1e-5), atol = try a.double(nil, "atol", default: 1e-6)
            let d = try withNoGrad { try (x - y).abs() - (y.abs() * rtol + atol) }
            return .bool(d.values.allSatisfy { $0 <= 0 })
        },
        B("tensor", "rel_error", "rel_error(a, b)", "Max relative error |a − b| / max(1e-8, |a| + |b|), as gradient-check notebooks use.", "rel_error(dx, dx_num)") { a, _ in
            .float(try Gradcheck.relError(a.tensor(0, "a"), a.tensor(1, "b")))
        },
        B("autograd", "backward", "backward(y, grad: g)", "Backpropagates from y (a scalar, or any tensor with an upstream gradient g).", "backward(loss)") { a, _ in
            let y = try a.tensor(0, "y"), g = try a.optTensor(nil, "grad")
            try y.backward(gradient: g)
            return .none
        },
        B("autograd", "zero_grad", "zero_grad(model)", "Clears the gradients of a model's parameters (or of a tensor).", "zero_grad(model)") { a, _ in
            let v = try a.value(0, "model")
            switch v {
            case .layer(let l): l.zeroGrad()
            case .tensor(let t): t.zeroGrad()
            case .optimizer(let o): o.zeroGrad()
            case .list(let l): for case .tensor(let t) in l.items { t.zeroGrad() }
            default: throw a.error(.type, "expects a model, optimiser or tensor, got \(v.typeName)")
            }
            return .none
        },
        B("autograd", "grad", "grad(f, x)", "d f(x) / dx for a function returning a scalar.", "grad(func(x) { return (x * x).sum() }, x)") { a, i in
            let f = try a.value(0, "f")
            let x0 = try a.tensor(1, "x")
            let x = try x0.detach().clone(); x.requiresGrad = true
            let y = try withGrad { try i.apply(f, [.tensor(x)], a.span) }
            guard case .tensor(let yt) = y else { throw a.error(.type, "the function must return a tensor, got \(y.typeName)") }
            try yt.backward()
            return .tensor(try x.grad ?? Tensor.zeros(x.shape, dtype: x.dtype))
        },
        B("autograd", "gradcheck", "gradcheck(f, x) or gradcheck(f, [x, w, …])", "Compares analytic and central-difference gradients in Float64; returns the max relative error.", "gradcheck(func(x) { return relu(x).sum() }, randn(3, 3))") { a, i in
            let f = try a.value(0, "f")
            let inputsV = try a.value(1, "x")
            let eps = try a.double(nil, "eps", default: 1e-6)
            let inputs: [Tensor]
            if case .list(let l) = inputsV { inputs = try l.items.map { try i.toTensor($0, a.spanOf(1), "x") } } else { inputs = [try i.toTensor(inputsV, a.spanOf(1), "x")] }
            let span = a.span
            let err = try withGrad {
                try Gradcheck.check({ xs in
                    let r = try i.apply(f, xs.map { .tensor($0) }, span)
                    guard case .tensor(let t) = r else { throw StrideError(.type, "gradcheck: the function must return a tensor, got \(r.typeName)", span: span) }
                    return t
                }, inputs.map { t in let c = t.detach(); c.requiresGrad = true; return c }, eps: eps)
            }
            return .float(err)
        },
        B("autograd", "detach", "detach(x)", "The same values with no gradient history.", "let y = detach(x)") { a, _ in .tensor(try a.tensor(0, "x").detach()) },
        B("tensor", "flatten", "flatten(x, start: 1)", "Flattens all dimensions from `start` (1 keeps the batch).", "flatten(h)") { a, _ in
            let x = try a.tensor(0, "x"); return .tensor(try x.flattened(start: a.int(nil, "start", default: x.ndim > 1 ? 1 : 0)))
        },
        B("tensor", "sum", "sum(x, dim: nil, keepdim: false)", "Sum of a tensor's elements (or of a list of numbers).", "sum(x, dim: 0)") { a, i in
            let v = try a.value(0, "x")
            if case .list(let l) = v, l.items.allSatisfy({ if case .tensor = $0 { return false }; return true }) {
                var acc: Value = .int(0)
                for item in l.items { acc = try i.binary("+", acc, item, a.span) }
                return acc
            }
            let x = try i.toTensor(v, a.spanOf(0), "x")
            return .tensor(try x.sum(dims: a.ints(nil, "dim"), keepdim: a.bool(nil, "keepdim", default: false)))
        },
        B("tensor", "mean", "mean(x, dim: nil, keepdim: false)", "Mean of a tensor's elements.", "mean(x)") { a, _ in
            let x = try a.tensor(0, "x")
            return .tensor(try x.mean(dims: a.ints(nil, "dim"), keepdim: a.bool(nil, "keepdim", default: false)))
        },
        B("tensor", "pad", "pad(x, p, value: 0)", "Zero-pads the last two (spatial) dimensions by p on every side.", "pad(x, 1)") { a, _ in
            let x = try a.tensor(0, "x"), p = try a.int(1, "p"), v = try a.double(nil, "value", default: 0)
            guard x.ndim >= 2 else { throw a.error(.shape, "needs at least 2 dimensions, got shape \(shapeString(x.shape))") }
            return .tensor(try x.padded([(p, p), (p, p)], value: v))
        },
    ]

    static func tensorList(_ a: inout Arguments, _ i: Interpreter, _ idx: Int, _ name: String) throws -> [Tensor] {
        let v = try a.value(idx, name)
        switch v {
        case .list(let l): return try l.items.map { try i.toTensor($0, a.spanOf(idx), name) }
        case .tuple(let t): return try t.map { try i.toTensor($0, a.spanOf(idx), name) }
        default: throw a.error(.type, "'\(name)' must be a list of tensors, got \(v.typeName)", a.spanOf(idx))
        }
    }
}
