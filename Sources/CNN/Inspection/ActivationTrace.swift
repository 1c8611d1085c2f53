/// Records every layer call while it is active, in call order: what `show(model, x)` and `summary` draw
/// (user layers call their sublayers in any order, so the call order, not the tree, is the truth).
public final class ActivationTrace {
    /// One layer call and its output.
    public struct Entry {
        public let layer: any Layer
        public let output: Tensor
    }

    public private(set) var entries: [Entry] = []
    static let active = ThreadLocal<ActivationTrace?> { nil }

    public init() {}

    /// Runs `body` with this trace recording the layer calls on this thread.
    public func recording<R>(_ body: () throws -> R) rethrows -> R {
        let box = Self.active.box
        let saved = box.value
        box.value = self
        defer { box.value = saved }
        return try body()
    }

    static func note(_ layer: any Layer, _ y: Tensor) {
        guard let t = active.box.value else { return }
        t.entries.append(Entry(layer: layer, output: y.readOnlyView()))
    }
}
