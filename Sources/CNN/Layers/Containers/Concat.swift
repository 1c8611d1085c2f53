/// Runs branches on the same input and concatenates their outputs along channels (Inception and DenseNet
/// blocks).
public final class Concat: Layer {
    public private(set) var branches: [any Layer]
    public let names: [String]
    public var output: Tensor?
    public var isTraining = true

    public init(_ branches: [any Layer], names: [String]? = nil) {
        self.branches = branches
        self.names = names ?? branches.indices.map(String.init)
    }

    deinit { DeferredRelease.dispose(layers: &branches) }

    public var typeName: String { "Concat" }
    public var children: [(String, any Layer)] { Array(zip(names, branches)) }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard let i = names.firstIndex(of: name) else { return false }
        branches[i] = layer
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let ys = try branches.map { try $0(x) }
        return try Tensor.concat(ys, dim: 1)
    }
}
