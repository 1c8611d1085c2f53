/// Watches the layer calls made on this thread while it is installed (`observing`): an `ActivationTrace`
/// records them, a receptive-field probe answers them with stand-in outputs.
public protocol LayerCallObserver: AnyObject {
    /// Before `layer` runs on `input` (its first tensor argument, nil when it has none): a tensor to return as
    /// the call's output without running the layer, or nil to run it.
    func willCall(_ layer: any Layer, input: Tensor?) throws -> Tensor?
    /// After the call: its tensor output, or nil when it returned something else or threw.
    func didCall(_ layer: any Layer, output: Tensor?)
}

extension LayerCallObserver {
    /// Runs `body` with this observer watching the layer calls on this thread (the previous one is put back).
    public func observing<R>(_ body: () throws -> R) rethrows -> R {
        let box = LayerCalls.observer.box
        let saved = box.value
        box.value = self
        defer { box.value = saved }
        return try body()
    }
}

/// Nested layer calls on this thread, so a model that contains itself fails with a clear error instead of
/// recursing until the stack overflows; and the observer watching them.
public enum LayerCalls {
    public static let maxDepth = 500
    static let depth = ThreadLocal { 0 }
    static let observer = ThreadLocal<(any LayerCallObserver)?> { nil }

    static func enter(_ name: String) throws {
        let box = depth.box
        guard box.value < maxDepth else {
            throw CNNError.recursion(
                "layers nested more than \(maxDepth) calls deep (in \(name)); does a model contain itself?")
        }
        box.value += 1
    }

    static func leave() { depth.box.value -= 1 }
}

extension Layer {
    /// Runs one call of this layer, whatever its arguments (`callAsFunction` passes `forward`; a user layer's
    /// `forward` may take several): the depth guard and interrupt check, the observer's say, and the tensor
    /// output kept (read-only) as `output`. `input` is the call's first tensor argument; `body` returns the
    /// tensor output, or nil when the call returns something else.
    public func invoke(input: Tensor?, _ body: () throws -> Tensor?) throws -> Tensor? {
        try LayerCalls.enter(typeName)
        defer { LayerCalls.leave() }
        try Cancellation.check()
        guard let observer = LayerCalls.observer.box.value else {
            let y = try body()
            if let y { output = y.readOnlyView() }
            return y
        }
        if let standIn = try observer.willCall(self, input: input) {
            observer.didCall(self, output: standIn)
            return standIn
        }
        let y: Tensor?
        do {
            y = try body()
        } catch {
            observer.didCall(self, output: nil)
            throw error
        }
        if let y { output = y.readOnlyView() }
        observer.didCall(self, output: y)
        return y
    }
}
