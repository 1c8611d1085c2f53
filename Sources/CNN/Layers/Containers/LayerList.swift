/// A list of layers held by another layer (PyTorch's `ModuleList`): its children are named "0", "1", …,
/// so a user layer's `blocks` field gives state-dict names like `blocks.2.bn1.running_mean`. It is not
/// called itself; its owner calls the layers.
public final class LayerList: Layer {
    /// Where the layers come from (a user layer's list field is read each time).
    let source: () -> [any Layer]
    /// Replaces layer `i`.
    let replace: (Int, any Layer) -> Void
    public var output: Tensor?
    public var isTraining = true

    public init(_ source: @escaping () -> [any Layer], replace: @escaping (Int, any Layer) -> Void) {
        self.source = source
        self.replace = replace
    }

    public var layers: [any Layer] { source() }
    public var typeName: String { "ModuleList" }
    public var isContainer: Bool { true }
    public var children: [(String, any Layer)] { source().enumerated().map { (String($0.offset), $0.element) } }
    public var showsAsUnit: Bool { false }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard let i = Int(name), i >= 0, i < source().count else { return false }
        replace(i, layer)
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        throw CNNError.type("a ModuleList holds layers for its owner to call; call one of them (list[0](x)) instead")
    }
}
