/// One layer's activation for `show(model, x)`.
public struct LayerActivation {
    /// The layer's dotted path in the model (state-dict style), or its type for the model itself.
    public let name: String
    public let typeName: String
    public let output: Tensor
    /// The layer that computed `output`.
    public let layer: any Layer
}

extension Layer {
    /// Runs `x` through the model (no graph) and returns every layer's activation in call order: leaves,
    /// layers shown as one unit (a residual block), and user layers, not pure containers, and nothing inside
    /// a unit.
    public func activations(for x: Tensor) throws -> [LayerActivation] {
        let trace = ActivationTrace()
        _ = try trace.recording { try withNoGrad { try self(x) } }
        let tree = layerTree
        let inside = tree.insideUnits
        var index: [ObjectIdentifier: Int] = [:]
        for (i, l) in tree.layers.enumerated() { index[ObjectIdentifier(l)] = i }
        return trace.entries.compactMap { e in
            let i = index[ObjectIdentifier(e.layer)]
            guard !(i.map { inside[$0] } ?? false), !e.layer.isContainer else { return nil }
            let path = i.map { tree.path($0) } ?? ""
            return LayerActivation(
                name: path.isEmpty ? e.layer.typeName : path, typeName: e.layer.typeName, output: e.output,
                layer: e.layer)
        }
    }
}
