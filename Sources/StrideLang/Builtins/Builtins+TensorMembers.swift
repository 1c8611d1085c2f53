import CNN
import Foundation

/// A tensor method's body: the receiver, then the other arguments.
typealias TensorBody = @Sendable (Tensor, inout Args) throws -> Value

extension Builtins {
    /// A tensor property (`x.shape`); settable when `setter` is given.
    static func property(
        _ name: String, torch: String? = nil, _ returns: ValueType, _ summary: String,
        setter: PropertySetter? = nil, _ f: @escaping @Sendable (Tensor, Args) throws -> Value
    ) -> Builtin {
        B(
            .tensor, name, torch: torch, returns, summary, "randn(2, 3).\(name)", receiver: .tensor, function: false,
            property: true, setter: setter
        ) { d in
            let x = d.p("x", Tensor.self)
            return { a in try f(a[x], a) }
        }
    }

    /// A tensor method (`x.reshape(…)`); `function: true` makes `name(x, …)` work too. `declare` adds the
    /// parameters after the receiver.
    static func method(
        _ name: String, torch: String? = nil, _ returns: ValueType, _ summary: String, _ example: String,
        function: Bool = false, _ declare: (inout Signature) -> TensorBody
    ) -> Builtin {
        B(.tensor, name, torch: torch, returns, summary, example, receiver: .tensor, function: function) { d in
            let x = d.p("x", Tensor.self)
            let body = declare(&d)
            return { a in try body(a[x], &a) }
        }
    }

    /// A tensor method without parameters of its own (`x.exp()`).
    static func nullary(
        _ name: String, torch: String? = nil, _ returns: ValueType, _ summary: String, _ example: String,
        function: Bool = false, _ f: @escaping @Sendable (Tensor) throws -> Value
    ) -> Builtin {
        method(name, torch: torch, returns, summary, example, function: function) { _ in { t, _ in try f(t) } }
    }

    /// Nested lists of a tensor's elements (Floats, or Ints for Int64 tensors).
    static func tolist(_ t: Tensor) -> Value {
        func element(_ p: Int) -> Value { t.dtype == .int64 ? .int(t.storage.getInt(p)) : .float(t.storage.get(p)) }
        if t.ndim == 0 { return element(t.offset) }
        func rec(_ d: Int, _ off: Int) -> Value {
            if d == t.ndim - 1 { return .list(ListRef((0..<t.shape[d]).map { element(off + $0 * t.strides[d]) })) }
            return .list(ListRef((0..<t.shape[d]).map { rec(d + 1, off + $0 * t.strides[d]) }))
        }
        return rec(0, t.offset)
    }

    /// `x.requires_grad = b`.
    static let setRequiresGrad: PropertySetter = { recv, v, _, s in
        guard case .tensor(let t) = recv else { return }
        guard case .bool(let b) = v else { throw StrideError(.type, "requires_grad must be a Bool", span: s) }
        try rt(s) { try t.setRequiresGrad(b) }
    }

    /// `x.grad = g` (nil clears it).
    static let setGrad: PropertySetter = { recv, v, _, s in
        guard case .tensor(let t) = recv else { return }
        if case .none = v {
            t.grad = nil
            return
        }
        let g = try toTensor(v, s, "grad", like: t)
        guard g.shape == t.shape else {
            throw StrideError(
                .shape, "grad must have the tensor's shape \(shapeString(t.shape)), got \(shapeString(g.shape))",
                span: s)
        }
        t.grad = g
    }

    /// A reduction along `dim` (all when nil) with `keepdim`.
    static func reduction(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String,
        _ f: @escaping @Sendable (Tensor, [Int]?, Bool) throws -> Tensor
    ) -> Builtin {
        method(name, torch: torch, .tensor, summary, example, function: true) { d in
            let dim = d.p("dim", [Int]?.self, doc: "a dimension or a list of them; all when nil")
            let keepdim = d.keepdim()
            return { t, a in .tensor(try f(t, a[dim], a[keepdim])) }
        }
    }

    /// `max`/`min`/`argmax`/`argmin` along one dimension (all when nil).
    static func extremeAlong(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String, function: Bool,
        _ f: @escaping @Sendable (Tensor, Int?, Bool) throws -> Tensor
    ) -> Builtin {
        method(name, torch: torch, .tensor, summary, example, function: function) { d in
            let dim = d.p("dim", Int?.self)
            let keepdim = d.keepdim()
            return { t, a in .tensor(try f(t, a[dim], a[keepdim])) }
        }
    }

    static let tensorMembers: [Builtin] = [
        property("shape", .listOf(.int), "The dimensions, outermost first.") { t, _ in
            .list(ListRef(t.shape.map { .int($0) }))
        },
        property("ndim", .int, "The number of dimensions.") { t, _ in .int(t.ndim) },
        property("count", .int, "The number of elements.") { t, _ in .int(t.count) },
        property("dtype", .string, "The element type: \"float32\", \"float64\" or \"int64\".") { t, _ in
            .string(t.dtype.rawValue)
        },
        property("T", torch: "torch.Tensor.T", .tensor, "The transpose of a 2-D tensor (a view).") { t, a in
            guard t.ndim == 2 else {
                throw a.error(.shape, ".T needs a 2-D tensor, got shape \(shapeString(t.shape)); use permute")
            }
            return .tensor(try t.transposed(0, 1))
        },
        property(
            "grad", .optional(.tensor), "The accumulated gradient (nil until a backward pass reaches it).",
            setter: setGrad
        ) { t, _ in
            t.grad.map { .tensor($0) } ?? .none
        },
        property(
            "requires_grad", .bool, "Whether gradients flow to this tensor (settable on leaves).",
            setter: setRequiresGrad
        ) { t, _ in
            .bool(t.requiresGrad)
        },
        property("is_leaf", .bool, "True for tensors not computed by a recorded op.") { t, _ in .bool(t.isLeaf) },
        property("grad_fn", .optional(.string), "The name of the op that computed this tensor, if recorded.") { t, _ in
            t.opName.map { .string($0) } ?? .none
        },
        method(
            "reshape", torch: "torch.reshape", .tensor, "The same elements in a new shape (one size may be -1).",
            "arange(6).reshape(2, 3)",
            function: true
        ) { d in
            let shape = d.shape(infer: true)
            return { t, a in .tensor(try t.reshaped(a[shape])) }
        },
        method("view", torch: "torch.Tensor.view", .tensor, "Same as reshape.", "arange(6).view(3, 2)") { d in
            let shape = d.shape(infer: true)
            return { t, a in .tensor(try t.reshaped(a[shape])) }
        },
        method(
            "expand", torch: "torch.Tensor.expand", .tensor,
            "A read-only broadcast view with the given shape (-1 keeps a size); no memory is copied.",
            "ones(3, 1).expand(3, 4)"
        ) { d in
            let shape = d.shape(infer: true)
            return { t, a in
                var target = try a[shape]
                let lead = target.count - t.ndim
                for i in target.indices where target[i] == -1 {
                    guard i >= lead else {
                        throw a.error(.value, "expand: -1 is not allowed for a new leading dimension", a.span)
                    }
                    target[i] = t.shape[i - lead]
                }
                return .tensor(try t.expanded(to: target))
            }
        },
        method(
            "flatten", torch: "torch.flatten", .tensor,
            "Flattens dimensions start…end into one, every dimension by default, as torch.flatten (start: 1 keeps "
                + "the batch, as Flatten() does).", "flatten(zeros(2, 3, 4), start: 1)  // [2, 12]", function: true
        ) { d in
            let start = d.label("start", Int.self, 0), end = d.label("end", Int.self, -1)
            return { t, a in
                if t.ndim == 0 { return .tensor(try t.reshaped([1])) }
                return .tensor(try t.flattened(start: a[start], end: a[end]))
            }
        },
        method(
            "permute", torch: "torch.permute", .tensor, "Reorders dimensions (a view).",
            "randn(2, 3, 4).permute(2, 0, 1)", function: true
        ) { d in
            let dims = d.shape("dims", infer: true)
            return { t, a in .tensor(try t.permuted(a[dims])) }
        },
        method(
            "transpose", torch: "torch.transpose", .tensor, "Swaps two dimensions (a view).",
            "randn(2, 3).transpose(0, 1)", function: true
        ) { d in
            let first = d.p("a", Int.self, 0), second = d.p("b", Int.self, 1)
            return { t, a in .tensor(try t.transposed(a[first], a[second])) }
        },
        method(
            "squeeze", torch: "torch.squeeze", .tensor, "Removes dimensions of size 1 (all, or dim).",
            "zeros(1, 3, 1).squeeze()",
            function: true
        ) { d in
            let dim = d.p("dim", Int?.self)
            return { t, a in .tensor(try t.squeezed(a[dim])) }
        },
        method(
            "unsqueeze", torch: "torch.unsqueeze", .tensor, "Inserts a dimension of size 1.", "zeros(3).unsqueeze(0)",
            function: true
        ) { d in
            let dim = d.p("dim", Int.self)
            return { t, a in .tensor(try t.unsqueezed(a[dim])) }
        },
        B(
            .tensor, "sum", torch: "torch.sum", .any,
            "Sum of a tensor's elements, or along dim (pairwise, as PyTorch); of a list of numbers, a number.",
            "ones(2, 3).sum(dim: 0)", receiver: .tensor
        ) { d in
            let x = d.p("x", NumberOrTensor.self)
            let dim = d.p("dim", [Int]?.self, doc: "a dimension or a list of them; all when nil")
            let keepdim = d.keepdim()
            return { a in
                let (v, s) = a.raw(x)
                if case .list(let l) = v, l.items.allSatisfy({ if case .tensor = $0 { false } else { true } }) {
                    var acc: Value = .int(0)
                    for item in l.items { acc = try binary(.add, acc, item, s) }
                    return acc
                }
                let t = try toTensor(v, s, "x")
                return .tensor(try t.sum(dims: a[dim], keepdim: a[keepdim]))
            }
        },
        reduction("mean", torch: "torch.mean", "Mean of all elements, or along dim.", "ones(2, 3).mean()") {
            try $0.mean(dims: $1, keepdim: $2)
        },
        reduction("std", torch: "torch.std", "Standard deviation (unbiased, as torch.std).", "randn(10).std()") {
            try $0.std(dims: $1, keepdim: $2)
        },
        method(
            "var", torch: "torch.Tensor.var", .tensor, "Variance (unbiased by default, as torch.var).",
            "randn(10).var()"
        ) {
            d in
            let dim = d.p("dim", [Int]?.self, doc: "a dimension or a list of them; all when nil")
            let keepdim = d.keepdim()
            let unbiased = d.label("unbiased", Bool.self, true)
            return { t, a in .tensor(try t.variance(dims: a[dim], keepdim: a[keepdim], unbiased: a[unbiased])) }
        },
        reduction(
            "amax", torch: "torch.amax",
            "The largest values over dim (all when nil); the gradient is shared evenly between tied maxima.",
            "tensor([[1, 5], [7, 2]]).amax(dim: 0)"
        ) { try $0.amax(dims: $1, keepdim: $2) },
        reduction(
            "amin", torch: "torch.amin",
            "The smallest values over dim (all when nil); the gradient is shared evenly between tied minima.",
            "tensor([[1, 5], [7, 2]]).amin(dim: 1)"
        ) { try $0.amin(dims: $1, keepdim: $2) },
        extremeAlong(
            "argmax", torch: "torch.argmax", "Index (Int64) of the largest element (flattened), or along dim.",
            "tensor([1, 5, 2]).argmax()",
            function: true
        ) { try $0.argmax(dim: $1, keepdim: $2) },
        extremeAlong(
            "argmin", torch: "torch.argmin", "Index (Int64) of the smallest element.", "tensor([1, 5, 2]).argmin()",
            function: true
        ) { try $0.argmin(dim: $1, keepdim: $2) },
        nullary(
            "item", torch: "torch.Tensor.item", .number,
            "The number in a one-element tensor (a Float, or an Int for Int64 tensors).",
            "tensor([2.5]).item()"
        ) { t in
            let x = try t.item()  // checks that there is one element
            return t.dtype == .int64 ? .int(t.storage.getInt(t.offset)) : .float(x)
        },
        nullary("tolist", torch: "torch.Tensor.tolist", .list, "Nested lists of the elements.", "eye(2).tolist()") {
            t in tolist(t)
        },
        nullary("clone", torch: "torch.clone", .tensor, "A copy with its own storage.", "ones(2).clone()") { t in
            .tensor(try t.clone())
        },
        nullary(
            "contiguous", torch: "torch.Tensor.contiguous", .tensor,
            "This tensor with its elements laid out row-major (a copy of a view).",
            "randn(2, 3).T.contiguous()"
        ) { t in .tensor(try t.contiguous()) },
        nullary(
            "retain_grad", .none, "Keeps this computed tensor's gradient in .grad after backward().",
            "let h = tensor([1.0], requires_grad: true) * 2; h.retain_grad()"
        ) { t in
            try t.retainGrad()
            return .none
        },
        method(
            "pad", .tensor, "Pads the last two (spatial) dimensions by p on every side, as the lecture's \"+pad 1\".",
            "pad(ones(1, 1, 2, 2), 1)", function: true
        ) { d in
            let p = d.p("p", Int.self)
            let value = d.label("value", Number.self, 0)
            return { t, a in
                let pad = try a[p]
                guard t.ndim >= 2 else {
                    throw a.error(.shape, "needs at least 2 dimensions, got shape \(shapeString(t.shape))")
                }
                return .tensor(try t.padded([(pad, pad), (pad, pad)], value: a[value].double))
            }
        },
        method(
            "clamp", torch: "torch.clamp", .tensor, "Limits values to [min, max].",
            "tensor([-2, 0.5, 3]).clamp(min: 0, max: 1)",
            function: true
        ) { d in
            let lo = d.p("min", Double?.self), hi = d.p("max", Double?.self)
            return { t, a in .tensor(try t.clamp(min: a[lo], max: a[hi])) }
        },
        method("pow", torch: "torch.pow", .tensor, "Elementwise power (also x ** p).", "tensor([2.0]).pow(3)") { d in
            let p = d.p("p", Double.self)
            return { t, a in .tensor(try t.pow(a[p])) }
        },
        nullary("exp", torch: "torch.Tensor.exp", .tensor, "eˣ elementwise.", "zeros(2).exp()") { t in
            .tensor(try t.exp())
        },
        nullary("log", torch: "torch.Tensor.log", .tensor, "Natural log elementwise.", "ones(2).log()") { t in
            .tensor(try t.log())
        },
        nullary("sqrt", torch: "torch.Tensor.sqrt", .tensor, "Square root elementwise.", "ones(2).sqrt()") { t in
            .tensor(try t.sqrt())
        },
        nullary("abs", torch: "torch.Tensor.abs", .tensor, "Absolute value elementwise.", "tensor([-1]).abs()") { t in
            .tensor(try t.abs())
        },
        nullary("double", torch: "torch.Tensor.double", .tensor, "A Float64 copy (differentiable).", "ones(2).double()")
        { t in
            .tensor(try t.to(.float64))
        },
        nullary("float", torch: "torch.Tensor.float", .tensor, "A Float32 copy (differentiable).", "ones(2).float()") {
            t in
            .tensor(try t.to(.float32))
        },
        nullary(
            "long", torch: "torch.Tensor.long", .tensor,
            "An Int64 copy (values truncated toward zero; NaN and infinities are errors).",
            "tensor([1.7, -2.2]).long()"
        ) { t in .tensor(try t.to(.int64)) },
        method(
            "matmul", torch: "torch.matmul", .tensor, "Matrix product (also a @ b).", "matmul(eye(2), ones(2, 3))",
            function: true
        ) { d in
            let b = d.p("b", Tensor.self)
            return { t, a in .tensor(try t.matmul(a[b])) }
        },
    ]
}
