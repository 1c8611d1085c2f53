/// Parameter-free activation layers, each wrapping its functional form.
public final class Activation: Layer {
    /// Which function the layer applies.
    public enum Kind: Sendable, Equatable {
        case relu, leakyRelu(Double), elu(Double), sigmoid, tanh, swish, softmax(Int), logSoftmax(Int)
    }

    public let kind: Kind
    public var output: Tensor?
    public var isTraining = true

    /// The lecture's leaky-ReLU slope (PyTorch's default is 0.01).
    public static let lectureLeakySlope = 0.1

    public init(_ kind: Kind) { self.kind = kind }

    public var typeName: String {
        switch kind {
        case .relu: "ReLU"
        case .leakyRelu: "LeakyReLU"
        case .elu: "ELU"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .swish: "Swish"
        case .softmax: "Softmax"
        case .logSoftmax: "LogSoftmax"
        }
    }

    public var configDescription: String {
        switch kind {
        case .leakyRelu(let s): "negative_slope=\(s)"
        case .elu(let a): "alpha=\(a)"
        case .softmax(let d), .logSoftmax(let d): "dim=\(d)"
        default: ""
        }
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        switch kind {
        case .relu: try x.relu()
        case .leakyRelu(let s): try x.leakyRelu(slope: s)
        case .elu(let a): try x.elu(alpha: a)
        case .sigmoid: try x.sigmoid()
        case .tanh: try x.tanh()
        case .swish: try x.swish()
        case .softmax(let d): try x.softmax(dim: d)
        case .logSoftmax(let d): try x.logSoftmax(dim: d)
        }
    }
}
