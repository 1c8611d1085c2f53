import CNN
import Foundation

/// Methods of tensors, layers, lists and optimisers: one table per receiver type, which
/// also feeds completion and `help`.
struct Method: Sendable {
    let signature: String
    let summary: String
    let run: @Sendable (Value, inout Arguments, Interpreter) throws -> Value
}

enum Methods {
    static func M(_ sig: String, _ summary: String, _ run: @escaping @Sendable (Value, inout Arguments, Interpreter) throws -> Value) -> Method {
        Method(signature: sig, summary: summary, run: run)
    }
    static func T(_ sig: String, _ summary: String, _ f: @escaping @Sendable (Tensor, inout Arguments, Interpreter) throws -> Value) -> Method {
        Method(signature: sig, summary: summary) { v, a, i in
            guard case .tensor(let t) = v else { throw a.error(.type, "not a tensor") }
            return try f(t, &a, i)
        }
    }
    static func reduce(_ name: String, _ f: @escaping @Sendable (Tensor, [Int]?, Bool) throws -> Tensor) -> Method {
        T("\(name)(dim: nil, keepdim: false)", "\(name) of all elements, or along dim.") { t, a, _ in
            .tensor(try f(t, a.ints(0, "dim"), a.bool(nil, "keepdim", default: false)))
        }
    }

    static let tensor: [String: Method] = [
        "reshape": T("reshape(shape…)", "The same elements in a new shape (one size may be -1).") { t, a, _ in .tensor(try t.reshaped(a.shapeAllowingInfer())) },
        "view": T("view(shape…)", "Same as reshape.") { t, a, _ in .tensor(try t.reshaped(a.shapeAllowingInfer())) },
        "flatten": T("flatten(start: 0)", "Flattens dimensions from start on.") { t, a, _ in .tensor(try t.flattened(start: a.int(0, "start", default: 0))) },
        "permute": T("permute(dims…)", "Reorders dimensions.") { t, a, _ in .tensor(try t.permuted(a.shapeAllowingInfer())) },
        "transpose": T("transpose(a, b)", "Swaps two dimensions.") { t, a, _ in .tensor(try t.transposed(a.int(0, "a", default: 0), a.int(1, "b", default: 1))) },
        "squeeze": T("squeeze(dim: nil)", "Removes dimensions of size 1.") { t, a, _ in .tensor(try t.squeezed(a.optInt(0, "dim"))) },
        "unsqueeze": T("unsqueeze(dim)", "Inserts a dimension of size 1.") { t, a, _ in .tensor(try t.unsqueezed(a.int(0, "dim"))) },
        "sum": reduce("sum") { try $0.sum(dims: $1, keepdim: $2) },
        "mean": reduce("mean") { try $0.mean(dims: $1, keepdim: $2) },
        "std": reduce("std") { try $0.std(dims: $1, keepdim: $2) },
        "max": T("max(dim: nil, keepdim: false)", "Largest element, or along dim.") { t, a, _ in .tensor(try t.max(dim: a.optInt(0, "dim"), keepdim: a.bool(nil, "keepdim", default: false))) },
        "min": T("min(dim: nil, keepdim: false)", "Smallest element, or along dim.") { t, a, _ in .tensor(try t.min(dim: a.optInt(0, "dim"), keepdim: a.bool(nil, "keepdim", default: false))) },
        "argmax": T("argmax(dim: nil, keepdim: false)", "Index of the largest element (flattened), or along dim.") { t, a, _ in .tensor(try t.argmax(dim: a.optInt(0, "dim"), keepdim: a.bool(nil, "keepdim", default: false))) },
        "argmin": T("argmin(dim: nil, keepdim: false)", "Index of the smallest element.") { t, a, _ in .tensor(try t.argmin(dim: a.optInt(0, "dim"), keepdim: a.bool(nil, "keepdim", default: false))) },
        "item": T("item()", "The number in a one-element tensor, as a Float.") { t, _, _ in .float(try t.item()) },
        "tolist": T("tolist()", "Nested lists of the elements.") { t, _, _ in tolist(t) },
        "detach": T("detach()", "The same values with no gradient history.") { t, _, _ in .tensor(t.detach()) },
        "clone": T("clone()", "A copy with its own storage.") { t, _, _ in .tensor(try t.clone()) },
        "backward": T("backward(grad: nil)", "Backpropagates from this tensor into every leaf's .grad.") { t, a, _ in try t.backward(gradient: a.optTensor(0, "grad")); return .none },
        "zero_grad": T("zero_grad()", "Clears .grad.") { t, _, _ in t.zeroGrad(); return .none },
        "pad": T("pad(p, value: 0)", "Zero-pads the last two dimensions by p.") { t, a, _ in .tensor(try t.padded([(a.int(0, "p"), a.int(0, "p")), (a.int(0, "p"), a.int(0, "p"))], value: a.double(nil, "value", default: 0))) },
        "clamp": T("clamp(min: nil, max: nil)", "Limits values to [min, max].") { t, a, _ in .tensor(try t.clamp(min: a.optDouble(nil, "min"), max: a.optDouble(nil, "max"))) },
        "exp": T("exp()", "eˣ elementwise.") { t, _, _ in .tensor(try t.exp()) },
        "log": T("log()", "Natural log elementwise.") { t, _, _ in .tensor(try t.log()) },
        "sqrt": T("sqrt()", "Square root elementwise.") { t, _, _ in .tensor(try t.sqrt()) },
        "abs": T("abs()", "Absolute value elementwise.") { t, _, _ in .tensor(try t.abs()) },
        "pow": T("pow(p)", "Elementwise power.") { t, a, _ in .tensor(try t.pow(a.double(0, "p"))) },
        "relu": T("relu()", "max(0, x).") { t, _, _ in .tensor(try t.relu()) },
        "sigmoid": T("sigmoid()", "Sigmoid.") { t, _, _ in .tensor(try t.sigmoid()) },
        "tanh": T("tanh()", "tanh.") { t, _, _ in .tensor(try t.tanh()) },
        "softmax": T("softmax(dim: 1)", "Softmax along dim.") { t, a, _ in .tensor(try t.softmax(dim: a.int(0, "dim", default: t.ndim == 1 ? 0 : 1))) },
        "double": T("double()", "A Float64 copy (differentiable).") { t, _, _ in .tensor(try t.to(.float64)) },
        "float": T("float()", "A Float32 copy (differentiable).") { t, _, _ in .tensor(try t.to(.float32)) },
        "matmul": T("matmul(b)", "Matrix product.") { t, a, _ in .tensor(try t.matmul(a.tensor(0, "b"))) },
    ]

    static func tolist(_ t: Tensor) -> Value {
        if t.ndim == 0 { return .float(t.storage.get(t.offset)) }
        let st = t.strides
        func rec(_ d: Int, _ off: Int) -> Value {
            if d == t.ndim - 1 { return .list(ListRef((0..<t.shape[d]).map { .float(t.storage.get(off + $0 * st[d])) })) }
            return .list(ListRef((0..<t.shape[d]).map { rec(d + 1, off + $0 * st[d]) }))
        }
        return rec(0, t.offset)
    }

    static func L(_ sig: String, _ summary: String, _ f: @escaping @Sendable (any Layer, inout Arguments, Interpreter) throws -> Value) -> Method {
        Method(signature: sig, summary: summary) { v, a, i in
            guard case .layer(let l) = v else { throw a.error(.type, "not a layer") }
            return try f(l, &a, i)
        }
    }
    static let layer: [String: Method] = [
        "train": L("train()", "Training mode (dropout on, batch statistics).") { l, a, _ in l.train(try a.bool(0, "on", default: true)); return .none },
        "eval": L("eval()", "Evaluation mode (dropout off, running statistics).") { l, _, _ in l.eval(); return .none },
        "zero_grad": L("zero_grad()", "Clears every parameter's gradient.") { l, _, _ in l.zeroGrad(); return .none },
        "forward": L("forward(x)", "Runs the layer (same as calling it).") { l, a, _ in .tensor(try l(a.tensor(0, "x"))) },
        "append": L("append(layer)", "Adds a layer to a Sequential.") { l, a, _ in
            guard let q = l as? Sequential else { throw a.error(.type, "only a Sequential can append layers") }
            q.append(try a.layer(0, "layer")); return .none
        },
        "freeze": L("freeze()", "Stops gradients to every parameter (requires_grad = false), for transfer learning.") { l, _, _ in for p in l.parameters { p.requiresGrad = false }; return .none },
        "unfreeze": L("unfreeze()", "Makes every parameter trainable again.") { l, _, _ in for p in l.parameters { p.requiresGrad = true }; return .none },
    ]

    static let list: [String: Method] = [
        "append": M("append(v)", "Adds an element at the end.") { v, a, _ in
            guard case .list(let l) = v else { throw a.error(.type, "not a list") }
            l.items.append(try a.value(0, "v")); return .none
        },
        "pop": M("pop()", "Removes and returns the last element.") { v, a, _ in
            guard case .list(let l) = v, let last = l.items.popLast() else { throw a.error(.index, "pop from an empty list") }
            return last
        },
    ]

    static let optimizer: [String: Method] = [
        "step": M("step()", "Updates every parameter from its gradient.") { v, a, _ in
            guard case .optimizer(let o) = v else { throw a.error(.type, "not an optimiser") }
            try o.step(); return .none
        },
        "zero_grad": M("zero_grad()", "Clears the gradients of the optimiser's parameters.") { v, a, _ in
            guard case .optimizer(let o) = v else { throw a.error(.type, "not an optimiser") }
            o.zeroGrad(); return .none
        },
    ]

    static func table(for v: Value) -> [String: Method] {
        switch v {
        case .tensor: return tensor
        case .layer: return layer
        case .list: return list
        case .optimizer: return optimizer
        default: return [:]
        }
    }
    static func has(_ v: Value, _ name: String) -> Bool { table(for: v)[name] != nil }

    /// Runs method `name` of `recv`, or returns nil when it has none.
    static func call(_ recv: Value, _ name: String, _ a: inout Arguments, _ i: Interpreter) throws -> Value? {
        guard let m = table(for: recv)[name] else { return nil }
        return try m.run(recv, &a, i)
    }
}

extension Arguments {
    /// Dimensions as varargs or one list, allowing -1 (reshape, permute).
    mutating func shapeAllowingInfer() throws -> [Int] {
        if count == 1, let v = at(0) {
            switch v {
            case .list(let l): return try l.items.map { guard case .int(let d) = $0 else { throw error(.type, "sizes must be Int") }; return d }
            case .tuple(let t): return try t.map { guard case .int(let d) = $0 else { throw error(.type, "sizes must be Int") }; return d }
            default: break
            }
        }
        return try (0..<count).map { k in guard case .int(let d) = at(k) else { throw error(.type, "sizes must be Int", spanOf(k)) }; return d }
    }
}
