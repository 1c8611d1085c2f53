/// Max pooling: (N, C, H, W) → (N, C, (H − F + 2P)/S + 1, …); no parameters.
public final class MaxPool2d: Layer {
    public let kernel: IntPair, stride: IntPair, padding: IntPair
    public let ceilMode: Bool
    public var output: Tensor?
    public var isTraining = true

    public init(_ kernel: IntPair, stride: IntPair? = nil, padding: IntPair = IntPair(0), ceilMode: Bool = false) throws
    {
        guard kernel.h > 0, kernel.w > 0 else {
            throw CNNError.value("MaxPool2d kernel must be positive, got \(kernel)")
        }
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.ceilMode = ceilMode
    }

    public var typeName: String { "MaxPool2d" }
    public var configDescription: String {
        "kernel_size=\(kernel.h), stride=\(stride.h), padding=\(padding.h)\(ceilMode ? ", ceil_mode=True" : "")"
    }
    public func forward(_ x: Tensor) throws -> Tensor {
        try x.maxPool2d(kernel: kernel.tuple, stride: stride.tuple, padding: padding.tuple, ceilMode: ceilMode)
    }
}
