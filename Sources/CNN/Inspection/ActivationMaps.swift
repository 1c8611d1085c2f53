/// One layer's activation for `show(model, x)`.
public struct LayerActivation {
    /// The layer's dotted path in the model (state-dict style), or its type for the model itself.
    public let name: String
    public let typeName: String
    public let output: Tensor
    /// The layer that computed `output`.
    public let layer: any Layer
    /// The call that computed it (an index into the trace's `calls`).
    public let call: Int
}

extension Layer {
    /// Runs `x` through the model (no graph) and returns every layer's activation in call order: leaves,
    /// layers shown as one unit (a residual block), and user layers, not pure containers, and nothing inside
    /// a unit.
    public func activations(for x: Tensor) throws -> [LayerActivation] { try tracedActivations(for: x).activations }

    /// `activations(for:)` with the trace of the run (for `FieldGraph`).
    public func tracedActivations(for x: Tensor) throws -> (trace: ActivationTrace, activations: [LayerActivation]) {
        let trace = ActivationTrace()
        _ = try trace.observing { try withNoGrad { try self(x) } }
        let tree = layerTree
        let inside = tree.insideUnits
        var index: [ObjectIdentifier: Int] = [:]
        for (i, l) in tree.layers.enumerated() { index[ObjectIdentifier(l)] = i }
        let shown = trace.entries.compactMap { e -> LayerActivation? in
            let i = index[ObjectIdentifier(e.layer)]
            guard !(i.map { inside[$0] } ?? false), !e.layer.isContainer else { return nil }
            let path = i.map { tree.path($0) } ?? ""
            return LayerActivation(
                name: path.isEmpty ? e.layer.typeName : path, typeName: e.layer.typeName, output: e.output,
                layer: e.layer, call: e.call)
        }
        return (trace, shown)
    }
}
