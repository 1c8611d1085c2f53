/// Adaptive average pooling to a fixed output size (so small inputs work with classifier heads).
public final class AdaptiveAvgPool2d: Layer {
    public let size: IntPair
    public var output: Tensor?
    public var isTraining = true

    public init(_ size: IntPair) { self.size = size }

    public var typeName: String { "AdaptiveAvgPool2d" }
    public var configDescription: String { "output_size=\(size)" }
    public func forward(_ x: Tensor) throws -> Tensor { try x.adaptiveAvgPool2d(size.h, size.w) }
}
