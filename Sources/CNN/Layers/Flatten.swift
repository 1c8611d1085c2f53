/// Flattens all dimensions after the first: (N, C, H, W) → (N, C·H·W).
public final class Flatten: Layer {
    public var output: Tensor?
    public var isTraining = true

    public init() {}

    public var typeName: String { "Flatten" }
    public var configDescription: String { "start_dim=1, end_dim=-1" }
    public func forward(_ x: Tensor) throws -> Tensor { x.ndim <= 1 ? x : try x.flattened(start: 1) }
}
