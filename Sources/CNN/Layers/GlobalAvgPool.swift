/// Global average pooling (adaptive average pooling to 1×1): (N, C, H, W) → (N, C, 1, 1).
public final class GlobalAvgPool: Layer {
    public var output: Tensor?
    public var isTraining = true

    public init() {}

    public var typeName: String { "GlobalAvgPool" }
    public func forward(_ x: Tensor) throws -> Tensor { try x.globalAvgPool() }
}
