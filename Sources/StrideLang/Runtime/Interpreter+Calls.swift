import CNN
import Foundation

extension Interpreter {
    func call(_ calleeExpr: Expr, _ args: [CallArgument], _ scope: Scope, _ s: Span) throws -> Value {
        try checkInterrupt(s)
        let callee: Value
        if case .member(let oe, let name, _) = calleeExpr {
            callee = .method(try eval(oe, scope), name)
        } else {
            callee = try eval(calleeExpr, scope)
        }
        var pos: [(Value, Span)] = [], lab: [(String, Value, Span)] = []
        for a in args {
            let v = try eval(a.value, scope)
            if let l = a.label {
                if lab.contains(where: { $0.0 == l }) { throw StrideError(.type, "argument '\(l):' given twice", span: a.labelSpan ?? a.value.span) }
                lab.append((l, v, a.labelSpan ?? a.value.span))
            } else { pos.append((v, a.value.span)) }
        }
        return try callValue(callee, pos, lab, s)
    }

    func callValue(_ callee: Value, _ pos: [(Value, Span)], _ lab: [(String, Value, Span)], _ s: Span) throws -> Value {
        switch callee {
        case .builtin(let b):
            var a = Arguments(callee: b.name, span: s, positional: pos, labelled: lab, interp: self)
            let v = try rt(s) { try b.run(&a, self) }
            try a.finish()
            return v
        case .function(let f):
            return try callUser(f, pos, lab, s)
        case .layer(let l):
            guard pos.count == 1, lab.isEmpty else {
                throw StrideError(.type, "a \(l.typeName) is called with one input tensor: layer(x)", span: s)
            }
            let x = try toTensor(pos[0].0, pos[0].1, "the input of \(l.typeName)")
            return .tensor(try rt(s) { try l(x) })
        case .method(let recv, let name):
            var a = Arguments(callee: "\(recv.typeName).\(name)", span: s, positional: pos, labelled: lab, interp: self)
            if let v = try rt(s, { try Methods.call(recv, name, &a, self) }) {
                try a.finish()
                return v
            }
            let m = try rt(s) { try member(recv, name, s) }
            return try callValue(m, pos, lab, s)
        default:
            throw StrideError(.type, "a \(callee.typeName) is not callable", span: s)
        }
    }

    /// Calls a user function with positional arguments first, then `label: value` for defaulted parameters.
    func callUser(_ f: UserFunction, _ pos: [(Value, Span)], _ lab: [(String, Value, Span)], _ s: Span) throws -> Value {
        let d = f.decl
        guard callDepth < maxCallDepth else {
            throw StrideError(.recursion, "maximum recursion depth (\(maxCallDepth) calls) exceeded in \(d.name)", span: s)
        }
        guard pos.count <= d.params.count else {
            throw StrideError(.type, "\(d.name) takes \(d.params.count) argument\(d.params.count == 1 ? "" : "s") but \(pos.count) were given", span: s)
        }
        let scope = Scope(parent: f.closure)
        for (i, p) in d.params.enumerated() {
            let v: Value
            if i < pos.count {
                v = pos[i].0
                if lab.contains(where: { $0.0 == p.name }) { throw StrideError(.type, "\(d.name): argument '\(p.name)' given both by position and by label", span: s) }
            } else if let l = lab.first(where: { $0.0 == p.name }) {
                v = l.1
            } else if let def = p.defaultValue {
                v = try eval(def, f.closure)
            } else {
                throw StrideError(.type, "\(d.name) missing argument for parameter '\(p.name)'", span: s)
            }
            scope.set(p.name, Scope.Binding(value: v, mutable: false, execution: execution))
        }
        if let extra = lab.first(where: { l in !d.params.contains { $0.name == l.0 } }) {
            throw StrideError(.type, "\(d.name) has no parameter '\(extra.0)'; parameters: \(d.params.map { $0.name }.joined(separator: ", "))", span: extra.2)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        do {
            for st in d.body { try exec(st, scope) }
            return .none
        } catch ControlFlow.returnValue(let v, _) {
            return v
        } catch ControlFlow.breakLoop(let sp) {
            throw StrideError(.syntax, "'break' outside a loop", span: sp)
        } catch ControlFlow.continueLoop(let sp) {
            throw StrideError(.syntax, "'continue' outside a loop", span: sp)
        } catch var e as StrideError {
            e.callStack.append(Frame(function: d.name, callSite: s))
            throw e
        }
    }

    /// Calls any callable value with positional arguments (for map, grad, gradcheck).
    func apply(_ f: Value, _ args: [Value], _ s: Span) throws -> Value {
        try callValue(f, args.map { ($0, s) }, [], s)
    }

    // MARK: Members
    func member(_ obj: Value, _ name: String, _ s: Span) throws -> Value {
        switch obj {
        case .tensor(let t):
            switch name {
            case "shape": return .list(ListRef(t.shape.map { .int($0) }))
            case "ndim": return .int(t.ndim)
            case "count": return .int(t.count)
            case "dtype": return .string(t.dtype.rawValue)
            case "T":
                guard t.ndim == 2 else { throw StrideError(.shape, ".T needs a 2-D tensor, got shape \(shapeString(t.shape)); use permute", span: s) }
                return .tensor(try t.transposed(0, 1))
            case "grad": return t.grad.map { .tensor($0) } ?? .none
            case "requires_grad": return .bool(t.requiresGrad)
            case "is_leaf": return .bool(t.isLeaf)
            case "grad_fn": return t.opName.map { .string($0) } ?? .none
            default: break
            }
        case .layer(let l):
            if let v = layerMember(l, name) { return v }
        case .list(let l):
            switch name {
            case "count": return .int(l.items.count)
            case "isEmpty": return .bool(l.items.isEmpty)
            case "first": return l.items.first ?? .none
            case "last": return l.items.last ?? .none
            default: break
            }
        case .tuple(let t):
            if let i = Int(name) {
                guard i >= 0 && i < t.count else { throw StrideError(.index, "tuple of \(t.count) has no element .\(i)", span: s) }
                return t[i]
            }
            if name == "count" { return .int(t.count) }
        case .string(let str):
            if name == "count" { return .int(str.count) }
            if name == "isEmpty" { return .bool(str.isEmpty) }
        case .range(let a, let b):
            if name == "count" { return .int(b - a) }
            if name == "lowerBound" { return .int(a) }
            if name == "upperBound" { return .int(b) }
        case .record(let r):
            if let v = r[name] { return v }
            if name == "keys" { return .list(ListRef(r.items.map { .string($0.0) })) }
        case .optimizer(let o):
            if name == "lr" { return .float(o.lr) }
            if name == "params" || name == "parameters" { return .list(ListRef(o.params.map { .tensor($0) })) }
        case .generator(let g):
            if name == "count", let c = g.count { return .int(c) }
        default: break
        }
        if Methods.has(obj, name) { return .method(obj, name) }
        throw StrideError(.name, "a \(obj.typeName) has no member '\(name)'\(memberHint(obj, name))", span: s)
    }

    func memberHint(_ obj: Value, _ name: String) -> String {
        let names = Completion.memberNames(of: obj)
        guard let best = names.map({ ($0, editDistance($0, name)) }).filter({ $0.1 <= 2 }).min(by: { $0.1 < $1.1 }) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    func layerMember(_ l: any Layer, _ name: String) -> Value? {
        switch name {
        case "output": return l.output.map { .tensor($0) } ?? Value.none
        case "parameters": return .list(ListRef(l.parameters.map { .tensor($0) }))
        case "training": return .bool(l.isTraining)
        case "count": if let q = l as? Sequential { return .int(q.layers.count) }
        case "layers": if let q = l as? Sequential { return .list(ListRef(q.layers.map { .layer($0) })) }
        default: break
        }
        if let p = l.namedParameters.first(where: { $0.0 == name }) { return .tensor(p.1) }
        if let b = l.namedBuffers.first(where: { $0.0 == name }) { return .tensor(b.1) }
        let camel: [String: String] = ["running_mean": "running_mean", "running_var": "running_var"]
        if let c = camel[name], let b = l.namedBuffers.first(where: { $0.0 == c }) { return .tensor(b.1) }
        if let c = l.children.first(where: { $0.0 == name }) { return .layer(c.1) }
        if name == "bias", l is Conv2d || l is Linear { return Value.none }
        return nil
    }

    func setMember(_ obj: Value, _ name: String, _ v: Value, _ s: Span) throws {
        switch (obj, name) {
        case (.tensor(let t), "requires_grad"):
            guard case .bool(let b) = v else { throw StrideError(.type, "requires_grad must be a Bool", span: s) }
            guard t.isLeaf || !b else { throw StrideError(.value, "requires_grad can only be set on leaf tensors (this one was computed by \(t.opName ?? "an op"))", span: s) }
            t.requiresGrad = b
        case (.tensor(let t), "grad"):
            if case .none = v { t.grad = nil; return }
            let g = try toTensor(v, s, "grad", like: t)
            guard g.shape == t.shape else { throw StrideError(.shape, "grad must have the tensor's shape \(shapeString(t.shape)), got \(shapeString(g.shape))", span: s) }
            t.grad = g
        case (.optimizer(let o), "lr"):
            o.lr = try number(v, s)
        case (.layer(let l), _):
            try setLayerMember(l, name, v, s)
        default:
            throw StrideError(.type, "cannot set member '\(name)' of a \(obj.typeName)", span: s)
        }
    }

    func setLayerMember(_ l: any Layer, _ name: String, _ v: Value, _ s: Span) throws {
        if name == "training" { guard case .bool(let b) = v else { throw StrideError(.type, "training must be a Bool", span: s) }; l.train(b); return }
        func newTensor(like old: Tensor?) throws -> Tensor? {
            if case .none = v { return nil }
            let t = try toTensor(v, s, name)
            if let old, old.shape != t.shape {
                throw StrideError(.shape, "\(l.typeName).\(name) must keep shape \(shapeString(old.shape)), got \(shapeString(t.shape))", span: s)
            }
            return t
        }
        switch (l, name) {
        case (let c as Conv2d, "weight"): guard let t = try newTensor(like: c.weight) else { throw StrideError(.value, "weight cannot be nil", span: s) }; c.weight = t
        case (let c as Conv2d, "bias"): c.bias = try newTensor(like: c.bias)
        case (let c as Linear, "weight"): guard let t = try newTensor(like: c.weight) else { throw StrideError(.value, "weight cannot be nil", span: s) }; c.weight = t
        case (let c as Linear, "bias"): c.bias = try newTensor(like: c.bias)
        case (let c as PReLU, "weight"): guard let t = try newTensor(like: c.weight) else { throw StrideError(.value, "weight cannot be nil", span: s) }; c.weight = t
        case (let c as BatchNorm2d, "weight"): guard let t = try newTensor(like: c.weight) else { throw StrideError(.value, "weight cannot be nil", span: s) }; c.weight = t
        case (let c as BatchNorm2d, "bias"): guard let t = try newTensor(like: c.bias) else { throw StrideError(.value, "bias cannot be nil", span: s) }; c.bias = t
        case (let q as Sequential, _):
            guard let i = q.names.firstIndex(of: name) else { fallthrough }
            guard case .layer(let nl) = v else { throw StrideError(.type, "a Sequential's child must be a layer, got \(v.typeName)", span: s) }
            q.layers[i] = nl
        default:
            throw StrideError(.type, "cannot set member '\(name)' of a \(l.typeName)", span: s)
        }
    }
}
