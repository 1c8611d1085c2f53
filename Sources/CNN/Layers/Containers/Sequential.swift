/// Layers applied in order; indexable (`model[0]`), iterable, and growable (`append`).
public final class Sequential: Layer {
    public var layers: [any Layer]
    /// Names of the children (state_dict prefixes): "0", "1", … unless given.
    public var names: [String]
    public var output: Tensor?
    public var isTraining = true

    public init(_ layers: [any Layer], names: [String]? = nil) {
        self.layers = layers
        self.names = names ?? layers.indices.map(String.init)
    }

    public var typeName: String { "Sequential" }
    public var isContainer: Bool { true }
    public var children: [(String, any Layer)] { Array(zip(names, layers)) }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard let i = names.firstIndex(of: name) else { return false }
        layers[i] = layer
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for l in layers { h = try l(h) }
        return h
    }

    /// Appends a layer (named by its index).
    public func append(_ l: any Layer) {
        layers.append(l)
        names.append(String(layers.count - 1))
    }
}
