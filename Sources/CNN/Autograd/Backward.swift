extension Tensor {
    /// Reverse-mode pass from this tensor. A scalar root gets upstream gradient 1; any other root needs
    /// `gradient` of its shape. Gradients accumulate (`+=`) into the `grad` of every leaf that requires
    /// them (and of non-leaves that `retainGrad()`); the graph is freed afterwards unless `retainGraph`,
    /// and a second backward through a freed part raises, as in PyTorch.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard requiresGrad else {
            throw CNNError.value(
                "backward() on a tensor that does not require grad: no parameter or input with requires_grad = true reaches it"
            )
        }
        let seed: Tensor
        if let g = gradient {
            guard g.shape == shape else {
                throw CNNError.shape(
                    "backward: gradient shape \(shapeString(g.shape)) does not match tensor shape \(shapeString(shape))"
                )
            }
            seed = try withNoGrad { try g.to(dtype).detach() }
        } else {
            guard count == 1 else {
                throw CNNError.value(
                    "backward() needs a scalar (1 element), got shape \(shapeString(shape)); "
                        + "pass backward(y, grad: g) with g of that shape")
            }
            seed = try Tensor.full(shape, 1, dtype: dtype)
        }
        try withNoGrad {
            let order = try topologicalOrder()
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
            for t in order.reversed() {
                try Cancellation.check()
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                guard let n = t.node else {
                    try t.accumulateGrad(g)
                    continue
                }
                if t.retainsGrad { try t.accumulateGrad(g) }
                // a gradient may arrive as a view (a sum's is its upstream gradient expanded): nodes whose
                // pullback reads strides (elementwise arithmetic) and leaves take it as it is, other nodes get
                // it contiguous
                let gs = try n.run(g.isContiguous || n.takesViews ? g : g.contiguous())
                for (inp, gi) in zip(n.inputs, gs) {
                    guard inp.requiresGrad, let gi else { continue }
                    guard gi.shape == inp.shape else {
                        throw CNNError.shape(
                            "\(n.name) returned a gradient of shape \(shapeString(gi.shape)) for an input of shape "
                                + "\(shapeString(inp.shape))")
                    }
                    let iid = ObjectIdentifier(inp)
                    if let prev = grads[iid] { grads[iid] = try prev.adding(gi) } else { grads[iid] = gi }
                }
                if !retainGraph { n.free() }
            }
        }
    }

    /// Every tensor reachable from this one through nodes, inputs before the tensors that use them
    /// (iterative, so deep graphs cannot overflow the stack). A freed node on the way is an error.
    func topologicalOrder() throws -> [Tensor] {
        var order: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded {
                order.append(t)
                continue
            }
            let id = ObjectIdentifier(t)
            if seen.contains(id) { continue }
            seen.insert(id)
            stack.append((t, true))
            if let n = t.node {
                if n.isFreed {
                    _ = try n.run(self)  // raises the "second time" error with the op's name
                }
                for i in n.inputs where i.requiresGrad && !seen.contains(ObjectIdentifier(i)) {
                    stack.append((i, false))
                }
            }
        }
        return order
    }

    /// grad += g, in place as PyTorch's AccumulateGrad does (a fresh contiguous buffer the first time); a
    /// `.grad` that cannot be written in place (read-only, another dtype) is replaced by the sum.
    func accumulateGrad(_ g: Tensor) throws {
        let gg = g.shape == shape ? g : try g.reshaped(shape)
        if let prev = grad {
            if prev.dtype == dtype, prev.shape == shape, !prev.isReadOnly, !prev.requiresGrad {
                try prev.updateIndex([], .add, gg)
            } else {
                grad = try prev.adding(gg)
            }
        } else {
            grad = try gg.to(dtype).clone()
        }
    }

    /// self + other for gradients (same shape, no graph).
    func adding(_ other: Tensor) throws -> Tensor { try binary(.add, other) }
}
