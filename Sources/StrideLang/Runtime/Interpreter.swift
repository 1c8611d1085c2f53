import CNN
import Foundation

/// Runs compiled cells against a session's globals. Tensor work goes to the CNN runtime; output goes
/// through the `Host`; the interrupt token is polled on loop back-edges and calls.
final class Interpreter {
    let globals = GlobalTable()
    let host: any Host
    let token: CancellationToken
    /// The stack of local slots, call depth and interrupt flag (owned here; `stack` is a handle to them).
    let stackStorage: StackStorage
    let stack: ValueStack
    var execution = 0
    /// The session's budget, displays and scratch directory (the interpreter never sees the session itself).
    let resources: SessionResources

    init(host: any Host, token: CancellationToken, resources: SessionResources) {
        self.host = host
        self.token = token
        self.resources = resources
        stackStorage = StackStorage(capacity: 1 << 20, token: token)
        stack = stackStorage.stack
    }

    var callDepth: Int {
        get { stack.callDepth }
        set { stack.callDepth = newValue }
    }

    var maxCallDepth: Int {
        get { stack.maxCallDepth }
        set { stack.maxCallDepth = newValue }
    }

    @inline(__always) func checkInterrupt(_ span: Span) throws {
        if stack.interrupted { throw interrupted(span) }
    }

    @inline(never) func interrupted(_ span: Span) -> StrideError {
        StrideError(.interrupted, "the cell was interrupted", span: span)
    }

    @inline(never) func tooDeep(_ name: String, _ span: Span) -> StrideError {
        StrideError(.recursion, "maximum recursion depth (\(maxCallDepth) calls) exceeded in \(name)", span: span)
    }

    // MARK: Running compiled code

    /// Runs `proto` with its arguments already in the first slots of a frame starting at `base` on the stack
    /// (the caller pushed them): parameters whose bit is clear in `given` take their defaults, evaluated in
    /// the new frame. Returns the returned value; the caller pops the frame.
    func run(
        _ proto: FunctionProto, function: Function?, captures: [Cell], base: Int, given: UInt64, span: Span
    ) throws -> Value {
        try runKeepingCells(proto, function: function, captures: captures, base: base, given: given, span: span).0
    }

    /// `run`, also returning the cells of the body's top-level bindings (a layer's fields).
    func runKeepingCells(
        _ proto: FunctionProto, function: Function?, captures: [Cell], base: Int, given: UInt64, span: Span
    ) throws -> (Value, [Cell]) {
        let locals = stack.base + base
        let have = stack.top - base
        if proto.localCount > have {
            _ = try stack.reserve(proto.localCount - have, span)
        }
        let cells: UnsafeMutablePointer<Cell>? = proto.cellCount > 0 ? .allocate(capacity: proto.cellCount) : nil
        if let cells {
            for i in 0..<proto.cellCount { (cells + i).initialize(to: Cell(.none, mutable: true)) }
        }
        defer {
            if let cells {
                cells.deinitialize(count: proto.cellCount)
                cells.deallocate()
            }
        }
        var frame = Frame(locals: locals, cells: cells, interp: self, stack: stack, function: function)
        for (i, p) in proto.params.enumerated() {
            if given & (1 << UInt64(i)) == 0 {
                guard let def = p.defaultValue else {
                    throw StrideError(.type, "\(proto.name) missing argument for parameter '\(p.name)'", span: span)
                }
                locals[i] = try def.eval(&frame)
            }
            if case .cell(let c) = p.location {
                cells?[c] = Cell(locals[i], mutable: false)
            }
        }
        let flow = try proto.body.exec(&frame)
        switch flow {
        case .breakLoop: throw StrideError(.syntax, "'break' outside a loop", span: proto.span)
        case .continueLoop: throw StrideError(.syntax, "'continue' outside a loop", span: proto.span)
        default: break
        }
        var kept: [Cell] = []
        if proto.kind == .layerBody, let cells {
            for entry in proto.topLevel {
                if case .cell(let c) = entry.location { kept.append(cells[c]) }
            }
        }
        return (frame.returnValue, kept)
    }

    func layerValue(_ v: Value, _ s: Span, _ what: String) throws -> any Layer {
        switch v {
        case .layer(let l): return l
        case .function, .builtin, .method: return FunctionLayer(v, interp: self, span: s)
        default: throw StrideError(.type, "\(what) must be a layer or model, got \(v.typeName)", span: s)
        }
    }

    /// Clears every binding and display id, and returns pooled buffers (`%reset`, kernel restart).
    func reset() {
        globals.removeAll()
        resources.displayIDs.removeAll()
        BufferPool.drain()
    }

    // MARK: Calls

    /// Calls any callable value: positional values are the stack slots from `base` to the top.
    func call(_ callee: Value, base: Int, labelled: [(String, Value, Span)], spans: [Span], span: Span) throws -> Value
    {
        try checkInterrupt(span)
        switch callee {
        case .function(let fn):
            return try callFunction(fn, base: base, labelled: labelled, span: span)
        case .builtin(let b):
            return try callBuiltin(b, receiver: nil, base: base, labelled: labelled, spans: spans, span: span)
        case .method(let m):
            if let fn = m.function {
                return try callFunction(fn, base: base, labelled: labelled, span: span)
            }
            guard let entry = m.entry else { throw StrideError(.type, "\(m.name) is not callable", span: span) }
            return try callBuiltin(
                entry, receiver: m.receiver, base: base, labelled: labelled, spans: spans, span: span)
        case .layer(let l):
            return try callLayer(l, base: base, labelled: labelled, spans: spans, span: span)
        case .layerType(let t):
            return try construct(t, base: base, labelled: labelled, span: span)
        default:
            throw StrideError(.type, "a \(callee.typeName) is not callable", span: span)
        }
    }

    /// Calls any callable with plain values (for map, grad, gradcheck, op backward closures, Sequential
    /// stages).
    func apply(_ callee: Value, _ args: [Value], span: Span) throws -> Value {
        let base = stack.top
        defer { stack.pop(to: base) }
        for a in args { try stack.push(a, span) }
        return try call(callee, base: base, labelled: [], spans: [], span: span)
    }

    /// The error with one more call-stack frame (for StrideErrors).
    @inline(never) func addingFrame(_ error: any Error, _ name: String, _ span: Span) -> any Error {
        guard var e = error as? StrideError else { return error }
        e.callStack.append(StackFrame(function: name, callSite: span))
        return e
    }

    /// A user function or closure: labelled arguments go to parameters with defaults.
    func callFunction(_ fn: Function, base: Int, labelled: [(String, Value, Span)], span: Span) throws -> Value {
        let proto = fn.proto
        if proto.kind == .op { return try callOp(fn, base: base, labelled: labelled, span: span) }
        let given = try bindParameters(proto, base: base, labelled: labelled, span: span)
        guard callDepth < maxCallDepth else {
            throw StrideError(
                .recursion, "maximum recursion depth (\(maxCallDepth) calls) exceeded in \(proto.name)", span: span)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        do {
            return try run(proto, function: fn, captures: fn.captures, base: base, given: given, span: span)
        } catch var e as StrideError {
            e.callStack.append(Frame.Info(function: proto.name, callSite: span))
            throw e
        }
    }

    /// Checks the positional count and puts labelled arguments in their slots (nil placeholders for the
    /// parameters between); returns which parameters were given, as bits.
    func bindParameters(
        _ proto: FunctionProto, base: Int, labelled: [(String, Value, Span)], span: Span
    ) throws -> UInt64 {
        let positional = stack.top - base
        let n = proto.params.count
        guard positional <= n else {
            throw StrideError(
                .type, "\(proto.name) takes \(n) argument\(n == 1 ? "" : "s") but \(positional) were given", span: span)
        }
        var given: UInt64 = positional >= 64 ? ~0 : (1 << UInt64(positional)) - 1
        guard !labelled.isEmpty else { return given }
        _ = try stack.reserve(n - positional, span)
        for (label, v, s) in labelled {
            guard let k = proto.params.firstIndex(where: { $0.name == label }) else {
                throw StrideError(
                    .type,
                    "\(proto.name) has no parameter '\(label)'; parameters: \(proto.params.map(\.name).joined(separator: ", "))",
                    span: s)
            }
            guard given & (1 << UInt64(k)) == 0 else {
                throw StrideError(
                    .type, "\(proto.name): argument '\(label)' given both by position and by label", span: s)
            }
            stack.base[base + k] = v
            given |= 1 << UInt64(k)
        }
        return given
    }

    /// A builtin, or a builtin member of `receiver`.
    func callBuiltin(
        _ b: Builtin, receiver: Value?, base: Int, labelled: [(String, Value, Span)], spans: [Span], span: Span
    ) throws -> Value {
        if let receiver {
            // the receiver is the first positional argument: insert it below the others
            try stack.push(.none, span)
            let p = stack.base + base
            var k = stack.top - 1
            while k > base {
                p[k - base] = p[k - base - 1]
                k -= 1
            }
            p[0] = receiver
        }
        let buffer = UnsafeBufferPointer(start: stack.base + base, count: stack.top - base)
        return try spans.withUnsafeBufferPointer { spans in
            var args = try Args(
                b, positional: buffer, spans: spans, spanOffset: receiver == nil ? 0 : 1, labelled: labelled,
                span: span, context: CallContext(self, span: span))
            return try rt(span) { try b.run(&args) }
        }
    }

    /// Calling a layer: `layer(x)`; a user layer's forward may take several arguments.
    func callLayer(
        _ l: any Layer, base: Int, labelled: [(String, Value, Span)], spans: [Span], span: Span
    ) throws -> Value {
        if let u = l as? UserLayer {
            return try u.call(base: base, labelled: labelled, span: span)
        }
        if let f = l as? FunctionLayer {
            return try f.call(base: base, span: span)
        }
        let n = stack.top - base
        guard n == 1, labelled.isEmpty else {
            throw StrideError(.type, "a \(l.typeName) is called with one input tensor: layer(x)", span: span)
        }
        let x = try toTensor(stack.base[base], spans.first ?? span, "the input of \(l.typeName)")
        return .tensor(try callingLayer(span) { try rt(span) { try l(x) } })
    }

    /// Runs a runtime layer call, attributing errors from inside user layers to this call site.
    func callingLayer<T>(_ span: Span, _ body: () throws -> T) throws -> T {
        layerCallSites.append(span)
        defer { layerCallSites.removeLast() }
        return try body()
    }

    /// Call sites of layer calls in progress (a user layer called from a runtime container reports the
    /// outermost Stride call site).
    var layerCallSites: [Span] = []

}

extension Value {
    /// A hint for a Float given where an Int is needed.
    var floatHint: String {
        if case .float(let d) = self, d.isFinite { return " \(formatFloat(d)); use Int(\(formatFloat(d)))" }
        return ""
    }
}

extension Frame {
    /// One entry of an error's call stack.
    typealias Info = StackFrame
}
