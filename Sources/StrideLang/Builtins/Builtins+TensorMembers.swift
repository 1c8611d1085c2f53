import CNN
import Foundation

extension Builtins {
    /// A tensor property (`x.shape`).
    static func property(
        _ name: String, _ returns: ValueType, _ summary: String, _ f: @escaping @Sendable (Tensor, Args) throws -> Value
    )
        -> Builtin
    {
        B(
            "tensor", name, [p("x", .tensor)], returns, summary, "randn(2, 3).\(name)", receiver: .tensor,
            function: false, property: true
        ) {
            a in try f(a.tensor("x"), a)
        }
    }

    /// A tensor method (`x.reshape(…)`); `function: true` makes `name(x, …)` work too.
    static func method(
        _ name: String, _ params: [Param], _ returns: ValueType, _ summary: String, _ example: String,
        function: Bool = false,
        _ f: @escaping @Sendable (Tensor, Args) throws -> Value
    ) -> Builtin {
        B(
            "tensor", name, [p("x", .tensorLike)] + params, returns, summary, example, receiver: .tensor,
            function: function
        ) { a in
            try f(a.tensor("x"), a)
        }
    }

    static let dimParam = p("dim", .any, .none, doc: "a dimension or a list of them; all when nil")
    static let keepdimParam = p("keepdim", .bool, .bool(false), label: true)

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

    static let tensorMembers: [Builtin] = [
        property("shape", .listOf(.int), "The dimensions, outermost first.") { t, _ in
            .list(ListRef(t.shape.map { .int($0) }))
        },
        property("ndim", .int, "The number of dimensions.") { t, _ in .int(t.ndim) },
        property("count", .int, "The number of elements.") { t, _ in .int(t.count) },
        property("dtype", .string, "The element type: \"float32\", \"float64\" or \"int64\".") { t, _ in
            .string(t.dtype.rawValue)
        },
        property("T", .tensor, "The transpose of a 2-D tensor (a view).") { t, a in
            guard t.ndim == 2 else {
                throw a.error(.shape, ".T needs a 2-D tensor, got shape \(shapeString(t.shape)); use permute")
            }
            return .tensor(try t.transposed(0, 1))
        },
        property("grad", .optional(.tensor), "The accumulated gradient (nil until a backward pass reaches it).") {
            t, _ in
            t.grad.map { .tensor($0) } ?? .none
        },
        property("requires_grad", .bool, "Whether gradients flow to this tensor (settable on leaves).") { t, _ in
            .bool(t.requiresGrad)
        },
        property("is_leaf", .bool, "True for tensors not computed by a recorded op.") { t, _ in .bool(t.isLeaf) },
        property("grad_fn", .optional(.string), "The name of the op that computed this tensor, if recorded.") { t, _ in
            t.opName.map { .string($0) } ?? .none
        },
        method(
            "reshape", [rest("shape", .shape)], .tensor, "The same elements in a new shape (one size may be -1).",
            "arange(6).reshape(2, 3)", function: true
        ) { t, a in
            .tensor(try t.reshaped(a.shape(infer: true)))
        },
        method("view", [rest("shape", .shape)], .tensor, "Same as reshape.", "arange(6).view(3, 2)") { t, a in
            .tensor(try t.reshaped(a.shape(infer: true)))
        },
        method(
            "expand", [rest("shape", .shape)], .tensor,
            "A read-only broadcast view with the given shape (-1 keeps a size); no memory is copied.",
            "ones(3, 1).expand(3, 4)"
        ) { t, a in
            var target = try a.shape(infer: true)
            let lead = target.count - t.ndim
            for i in target.indices where target[i] == -1 {
                guard i >= lead else {
                    throw a.error(.value, "expand: -1 is not allowed for a new leading dimension", a.span)
                }
                target[i] = t.shape[i - lead]
            }
            return .tensor(try t.expanded(to: target))
        },
        method(
            "flatten", [p("start", .int, .int(1), label: true), p("end", .int, .int(-1), label: true)], .tensor,
            "Flattens dimensions start…end into one; start 1 keeps the batch, like Flatten() (start: 0 gives 1-D).",
            "flatten(zeros(2, 3, 4))  // [2, 12]", function: true
        ) { t, a in
            if t.ndim <= 1 { return .tensor(t) }
            return .tensor(try t.flattened(start: Swift.min(a.int("start"), t.ndim - 1), end: a.int("end")))
        },
        method(
            "permute", [rest("dims", .shape)], .tensor, "Reorders dimensions (a view).",
            "randn(2, 3, 4).permute(2, 0, 1)",
            function: true
        ) { t, a in
            .tensor(try t.permuted(a.shape(infer: true)))
        },
        method(
            "transpose", [p("a", .int, .int(0)), p("b", .int, .int(1))], .tensor, "Swaps two dimensions (a view).",
            "randn(2, 3).transpose(0, 1)", function: true
        ) { t, a in
            .tensor(try t.transposed(a.int("a"), a.int("b")))
        },
        method(
            "squeeze", [p("dim", .int, .none)], .tensor, "Removes dimensions of size 1 (all, or dim).",
            "zeros(1, 3, 1).squeeze()",
            function: true
        ) { t, a in
            .tensor(try t.squeezed(a.optInt("dim")))
        },
        method(
            "unsqueeze", [p("dim", .int)], .tensor, "Inserts a dimension of size 1.", "zeros(3).unsqueeze(0)",
            function: true
        ) { t, a in
            .tensor(try t.unsqueezed(a.int("dim")))
        },
        B(
            "tensor", "sum", [p("x", .tensorLike), dimParam, keepdimParam], .any,
            "Sum of a tensor's elements, or along dim (pairwise, as PyTorch); of a list of numbers, a number.",
            "ones(2, 3).sum(dim: 0)", receiver: .tensor
        ) { a in
            let (v, s) = try a.required("x")
            if case .list(let l) = v, l.items.allSatisfy({ if case .tensor = $0 { false } else { true } }) {
                var acc: Value = .int(0)
                for item in l.items { acc = try a.interp.binary(.add, acc, item, s) }
                return acc
            }
            let t = try a.interp.toTensor(v, s, "x")
            return .tensor(try t.sum(dims: a.ints("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "mean", [dimParam, keepdimParam], .tensor, "Mean of all elements, or along dim.", "ones(2, 3).mean()",
            function: true
        ) { t, a in
            .tensor(try t.mean(dims: a.ints("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "std", [dimParam, keepdimParam], .tensor, "Standard deviation (unbiased, as torch.std).", "randn(10).std()",
            function: true
        ) { t, a in
            .tensor(try t.std(dims: a.ints("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "var", [dimParam, keepdimParam, p("unbiased", .bool, .bool(true), label: true)], .tensor,
            "Variance (unbiased by default, as torch.var).", "randn(10).var()", function: true
        ) { t, a in
            .tensor(try t.variance(dims: a.ints("dim"), keepdim: a.bool("keepdim"), unbiased: a.bool("unbiased")))
        },
        method(
            "max", [p("dim", .int, .none), keepdimParam], .tensor,
            "Largest element, or along dim (NaN wins, as PyTorch).",
            "tensor([1, 5, 2]).max()"
        ) { t, a in
            .tensor(try t.max(dim: a.optInt("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "min", [p("dim", .int, .none), keepdimParam], .tensor, "Smallest element, or along dim.",
            "tensor([1, 5, 2]).min()"
        ) { t, a in
            .tensor(try t.min(dim: a.optInt("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "argmax", [p("dim", .int, .none), keepdimParam], .tensor,
            "Index (Int64) of the largest element (flattened), or along dim.", "tensor([1, 5, 2]).argmax()",
            function: true
        ) { t, a in
            .tensor(try t.argmax(dim: a.optInt("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "argmin", [p("dim", .int, .none), keepdimParam], .tensor, "Index (Int64) of the smallest element.",
            "tensor([1, 5, 2]).argmin()", function: true
        ) { t, a in
            .tensor(try t.argmin(dim: a.optInt("dim"), keepdim: a.bool("keepdim")))
        },
        method(
            "item", [], .number, "The number in a one-element tensor (a Float, or an Int for Int64 tensors).",
            "tensor([2.5]).item()"
        ) { t, _ in
            t.dtype == .int64 ? .int(try Shape.integer(t.item(), "the element")) : .float(try t.item())
        },
        method("tolist", [], .list, "Nested lists of the elements.", "eye(2).tolist()") { t, _ in tolist(t) },
        method("clone", [], .tensor, "A copy with its own storage.", "ones(2).clone()") { t, _ in .tensor(try t.clone())
        },
        method(
            "contiguous", [], .tensor, "This tensor with its elements laid out row-major (a copy of a view).",
            "randn(2, 3).T.contiguous()"
        ) { t, _ in .tensor(try t.contiguous()) },
        method(
            "retain_grad", [], .none, "Keeps this computed tensor's gradient in .grad after backward().",
            "let h = tensor([1.0], requires_grad: true) * 2; h.retain_grad()"
        ) { t, _ in
            try t.retainGrad()
            return .none
        },
        method(
            "pad", [p("p", .int), p("value", .number, .int(0), label: true)], .tensor,
            "Pads the last two (spatial) dimensions by p on every side, as the lecture's \"+pad 1\".",
            "pad(ones(1, 1, 2, 2), 1)",
            function: true
        ) { t, a in
            let pad = try a.int("p")
            guard t.ndim >= 2 else {
                throw a.error(.shape, "needs at least 2 dimensions, got shape \(shapeString(t.shape))")
            }
            return .tensor(try t.padded([(pad, pad), (pad, pad)], value: a.double("value")))
        },
        method(
            "clamp", [p("min", .number, .none, label: true), p("max", .number, .none, label: true)], .tensor,
            "Limits values to [min, max].", "tensor([-2, 0.5, 3]).clamp(min: 0, max: 1)", function: true
        ) { t, a in
            .tensor(try t.clamp(min: a.optDouble("min"), max: a.optDouble("max")))
        },
        method("pow", [p("p", .number)], .tensor, "Elementwise power (also x ** p).", "tensor([2.0]).pow(3)") { t, a in
            .tensor(try t.pow(a.double("p")))
        },
        method("exp", [], .tensor, "eˣ elementwise.", "zeros(2).exp()") { t, _ in .tensor(try t.exp()) },
        method("log", [], .tensor, "Natural log elementwise.", "ones(2).log()") { t, _ in .tensor(try t.log()) },
        method("sqrt", [], .tensor, "Square root elementwise.", "ones(2).sqrt()") { t, _ in .tensor(try t.sqrt()) },
        method("abs", [], .tensor, "Absolute value elementwise.", "tensor([-1]).abs()") { t, _ in .tensor(try t.abs())
        },
        method("double", [], .tensor, "A Float64 copy (differentiable).", "ones(2).double()") { t, _ in
            .tensor(try t.to(.float64))
        },
        method("float", [], .tensor, "A Float32 copy (differentiable).", "ones(2).float()") { t, _ in
            .tensor(try t.to(.float32))
        },
        method(
            "long", [], .tensor, "An Int64 copy (values truncated toward zero; NaN and infinities are errors).",
            "tensor([1.7, -2.2]).long()"
        ) { t, _ in .tensor(try t.to(.int64)) },
        method(
            "matmul", [p("b", .tensorLike)], .tensor, "Matrix product (also a @ b).", "matmul(eye(2), ones(2, 3))",
            function: true
        ) { t, a in
            .tensor(try t.matmul(a.tensor("b")))
        },
    ]
}
