/// Average pooling; no parameters.
public final class AvgPool2d: Layer {
    public let kernel: IntPair, stride: IntPair, padding: IntPair
    public var output: Tensor?
    public var isTraining = true

    public init(_ kernel: IntPair, stride: IntPair? = nil, padding: IntPair = IntPair(0)) throws {
        guard kernel.h > 0, kernel.w > 0 else {
            throw CNNError.value("AvgPool2d kernel must be positive, got \(kernel)")
        }
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
    }

    public var typeName: String { "AvgPool2d" }
    public var configDescription: String { "kernel_size=\(kernel.h), stride=\(stride.h), padding=\(padding.h)" }
    public func forward(_ x: Tensor) throws -> Tensor {
        try x.avgPool2d(kernel: kernel.tuple, stride: stride.tuple, padding: padding.tuple)
    }
}
