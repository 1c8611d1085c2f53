extension Tensor {
    /// Reverse-mode pass from this tensor. A scalar root gets upstream gradient 1;
    /// any other root needs `gradient` of its shape. Gradients accumulate (`+=`) into
    /// the `grad` of every leaf that requires them; the graph is released afterwards
    /// unless `retainGraph`.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard requiresGrad else {
            throw CNNError.value("backward() on a tensor that does not require grad: no parameter or input with requires_grad = true reaches it")
        }
        let seed: Tensor
        if let g = gradient {
            guard g.shape == shape else {
                throw CNNError.shape("backward: gradient shape \(shapeString(g.shape)) does not match tensor shape \(shapeString(shape))")
            }
            seed = try g.to(dtype).detach()
        } else {
            guard count == 1 else {
                throw CNNError.value("backward() needs a scalar (1 element), got shape \(shapeString(shape)); pass backward(y, grad: g) with g of that shape")
            }
            seed = try Tensor(shape: shape, dtype: dtype).filled(1)
        }
        try withNoGrad {
            // Iterative topological order (deep graphs must not overflow the stack).
            var order: [Tensor] = []
            var seen = Set<ObjectIdentifier>()
            var stack: [(Tensor, Bool)] = [(self, false)]
            while let (t, expanded) = stack.popLast() {
                if expanded { order.append(t); continue }
                let id = ObjectIdentifier(t)
                if seen.contains(id) { continue }
                seen.insert(id)
                stack.append((t, true))
                if let n = t.node { for i in n.inputs where i.requiresGrad && !seen.contains(ObjectIdentifier(i)) { stack.append((i, false)) } }
            }
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
            for t in order.reversed() {
                try Cancellation.check()
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                if let n = t.node {
                    let gs = try n.pullback(g)
                    for (inp, gi) in zip(n.inputs, gs) {
                        guard inp.requiresGrad, let gi else { continue }
                        let iid = ObjectIdentifier(inp)
                        if let prev = grads[iid] { grads[iid] = try prev + gi } else { grads[iid] = gi }
                    }
                    if !retainGraph { t.node = nil }
                } else {
                    let gg = g.shape == t.shape ? g : try g.reshaped(t.shape)
                    if let prev = t.grad { t.grad = try prev + gg } else { t.grad = try gg.to(t.dtype).materialized() }
                }
            }
        }
    }
}

extension Tensor {
    /// A tensor filled with `v`, in place; returns self.
    @discardableResult public func filled(_ v: Double) -> Tensor {
        let n = count
        if dtype == .float32 { let p = storage.floats, f = Float(v); for i in 0..<n { p[i] = f } }
        else { let p = storage.doubles; for i in 0..<n { p[i] = v } }
        return self
    }
    /// A tensor with its own storage (copies when the storage is shared with the graph's saved values).
    func materialized() throws -> Tensor { try clone() }
}
