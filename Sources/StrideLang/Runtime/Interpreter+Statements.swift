import CNN
import Foundation

extension Interpreter {
    func execBlock(_ stmts: [Stmt], _ scope: Scope) throws {
        let inner = Scope(parent: scope)
        for s in stmts { try exec(s, inner) }
    }

    func exec(_ stmt: Stmt, _ scope: Scope) throws {
        switch stmt {
        case .expr(let e, _):
            _ = try eval(e, scope)
        case .binding(let isVar, let pat, let e, _):
            let v = try eval(e, scope)
            try bind(pat, v, mutable: isVar, in: scope)
        case .assign(let target, let op, let e, let span):
            var v = try eval(e, scope)
            if let op {
                let old = try eval(target, scope)
                v = try binary(op, old, v, span)
            }
            try assign(target, v, scope, span)
        case .funcDecl(let d):
            try declare(d.name, .function(UserFunction(decl: d, closure: scope)), mutable: false, in: scope, span: d.span)
        case .ifStmt(let clauses, let elseBody, _):
            for (cond, body) in clauses {
                if try truth(eval(cond, scope), cond.span, "if") { try execBlock(body, scope); return }
            }
            if let elseBody { try execBlock(elseBody, scope) }
        case .whileStmt(let cond, let body, let span):
            while try truth(eval(cond, scope), cond.span, "while") {
                try checkInterrupt(span)
                do { try execBlock(body, scope) }
                catch ControlFlow.breakLoop { break }
                catch ControlFlow.continueLoop { continue }
            }
        case .forStmt(let pat, let seqExpr, let body, let span):
            let seq = try eval(seqExpr, scope)
            let next = try iterator(seq, seqExpr.span)
            let inner = Scope(parent: scope)      // one scope per loop, cleared each iteration
            while let item = try rt(seqExpr.span, { try next() }) {
                try checkInterrupt(span)
                inner.removeAll()
                try bind(pat, item, mutable: false, in: inner)
                do { for s in body { try exec(s, inner) } }
                catch ControlFlow.breakLoop { break }
                catch ControlFlow.continueLoop { continue }
            }
        case .returnStmt(let e, let span):
            guard callDepth > 0 else { throw StrideError(.syntax, "'return' outside a function", span: span) }
            throw ControlFlow.returnValue(try e.map { try eval($0, scope) } ?? .none, span)
        case .breakStmt(let span):
            throw ControlFlow.breakLoop(span)
        case .continueStmt(let span):
            throw ControlFlow.continueLoop(span)
        case .magic(let name, let raw, let inner, let span):
            try runMagic(name, raw, inner, scope, span)
        }
    }

    func truth(_ v: Value, _ span: Span, _ ctx: String) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .tensor(let t) where t.count == 1:
            throw StrideError(.type, "\(ctx) condition is a Tensor, not a Bool; use .item() to get its number", span: span)
        default:
            throw StrideError(.type, "\(ctx) condition must be a Bool, got \(v.typeName)", span: span)
        }
    }

    /// An iterator over anything `for … in` accepts.
    func iterator(_ v: Value, _ span: Span) throws -> () throws -> Value? {
        switch v {
        case .range(let lo, let hi):
            var i = lo
            return { if i < hi { defer { i += 1 }; return .int(i) }; return nil }
        case .list(let l):
            var i = 0
            return { if i < l.items.count { defer { i += 1 }; return l.items[i] }; return nil }
        case .tuple(let t):
            var i = 0
            return { if i < t.count { defer { i += 1 }; return t[i] }; return nil }
        case .tensor(let t):
            guard t.ndim > 0 else { throw StrideError(.type, "cannot iterate over a 0-d tensor", span: span) }
            var i = 0
            return { if i < t.shape[0] { defer { i += 1 }; return .tensor(try t.index([.index(i)])) }; return nil }
        case .string(let s):
            var it = s.makeIterator()
            return { it.next().map { .string(String($0)) } }
        case .generator(let g):
            return try rt(span) { try g.makeIterator() }
        case .layer(let l as Sequential):
            var i = 0
            return { if i < l.layers.count { defer { i += 1 }; return .layer(l.layers[i]) }; return nil }
        case .record(let r):
            var i = 0
            return { if i < r.items.count { defer { i += 1 }; return .tuple([.string(r.items[i].0), r.items[i].1]) }; return nil }
        default:
            throw StrideError(.type, "cannot iterate over a \(v.typeName)", span: span)
        }
    }

    func assign(_ target: Expr, _ v: Value, _ scope: Scope, _ span: Span) throws {
        switch target {
        case .name(let n, let s):
            switch scope.assign(n, v) {
            case .assigned: return
            case .notFound:
                if Builtins.table[n] != nil { throw StrideError(.name, "cannot assign to builtin '\(n)'; declare a new name with let or var", span: s) }
                throw StrideError(.name, "cannot find '\(n)' in scope; declare it first with var \(n) = …", span: s)
            case .immutable:
                throw StrideError(.type, "cannot assign to value: '\(n)' is a 'let' constant; declare it with var to change it", span: s)
            }
        case .member(let objExpr, let name, let s):
            let obj = try eval(objExpr, scope)
            try rt(s) { try setMember(obj, name, v, s) }
        case .index(let objExpr, let items, let s):
            let obj = try eval(objExpr, scope)
            switch obj {
            case .tensor(let t):
                let idx = try indexItems(items, scope)
                let val = try toTensor(v, s, "the assigned value", like: t)
                try rt(s) { try t.setIndex(idx, val) }
            case .list(let l):
                guard items.count == 1, case .single(let ie) = items[0] else { throw StrideError(.type, "a list takes one integer index", span: s) }
                let i = try intIndex(eval(ie, scope), l.items.count, ie.span)
                l.items[i] = v
            case .layer(let q as Sequential):
                // replacing a layer, e.g. a new classifier head for transfer learning: model[-1] = Linear(84, 3)
                guard items.count == 1, case .single(let ie) = items[0] else { throw StrideError(.type, "a Sequential takes one integer index", span: s) }
                let i = try intIndex(eval(ie, scope), q.layers.count, ie.span)
                guard case .layer(let nl) = v else { throw StrideError(.type, "a Sequential holds layers, got \(v.typeName)", span: s) }
                q.layers[i] = nl
            default:
                throw StrideError(.type, "cannot assign to an element of a \(obj.typeName)", span: s)
            }
        default:
            throw StrideError(.syntax, "cannot assign to this expression", span: span)
        }
    }
}
