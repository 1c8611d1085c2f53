/// Parameter-free activation layers, each wrapping its functional form.
public final class Activation: Layer {
    /// Which function the layer applies.
    public enum Kind: Sendable, Equatable {
        case relu, leakyRelu(Double), elu(Double), sigmoid, tanh, swish, softmax(Int), logSoftmax(Int)
    }
    public let kind: Kind
    public var output: Tensor?
    public var isTraining = true
    public init(_ kind: Kind) { self.kind = kind }

    public var typeName: String {
        switch kind {
        case .relu: "ReLU"; case .leakyRelu: "LeakyReLU"; case .elu: "ELU"; case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"; case .swish: "Swish"; case .softmax: "Softmax"; case .logSoftmax: "LogSoftmax"
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

/// Flattens all dimensions after the first: (N, C, H, W) → (N, C·H·W).
public final class Flatten: Layer {
    public var output: Tensor?
    public var isTraining = true
    public init() {}
    public var typeName: String { "Flatten" }
    public var configDescription: String { "start_dim=1, end_dim=-1" }
    public func forward(_ x: Tensor) throws -> Tensor { x.ndim <= 1 ? x : try x.flattened(start: 1) }
}

/// Dropout with probability `p`, active in training mode only.
public final class Dropout: Layer {
    public let p: Double
    public var output: Tensor?
    public var isTraining = true
    public init(_ p: Double = 0.5) throws {
        guard p >= 0 && p <= 1 else { throw CNNError.value("Dropout probability must be in [0, 1], got \(p)") }
        self.p = p
    }
    public var typeName: String { "Dropout" }
    public var configDescription: String { "p=\(p)" }
    public func forward(_ x: Tensor) throws -> Tensor { try x.dropout(p: p, training: isTraining) }
}

/// PReLU: max(0, x) + a·min(0, x) with learned slopes (one shared, or one per channel), init 0.25.
public final class PReLU: Layer {
    public var weight: Tensor
    public var output: Tensor?
    public var isTraining = true
    public init(_ channels: Int = 1, initial: Double = 0.25) throws {
        guard channels > 0 else { throw CNNError.value("PReLU needs a positive parameter count, got \(channels)") }
        weight = try parameter([channels])
        weight.filled(initial)
    }
    public var typeName: String { "PReLU" }
    public var configDescription: String { "num_parameters=\(weight.count)" }
    public var namedParameters: [(String, Tensor)] { [("weight", weight)] }
    public func forward(_ x: Tensor) throws -> Tensor { try x.prelu(weight) }
}

/// Maxout: a linear map to `nout·pieces` features, then the max over each group of `pieces`.
public final class Maxout: Layer {
    public let inFeatures: Int, outFeatures: Int, pieces: Int
    public let linear: Linear
    public var output: Tensor?
    public var isTraining = true
    public init(_ nin: Int, _ nout: Int, pieces: Int = 2) throws {
        guard pieces > 0 else { throw CNNError.value("Maxout needs at least one piece, got \(pieces)") }
        inFeatures = nin; outFeatures = nout; self.pieces = pieces
        linear = try Linear(nin, nout * pieces)
    }
    public var typeName: String { "Maxout" }
    public var configDescription: String { "\(inFeatures), \(outFeatures), pieces=\(pieces)" }
    public var children: [(String, any Layer)] { [("linear", linear)] }
    public func forward(_ x: Tensor) throws -> Tensor {
        let h = try linear(x.ndim == 2 ? x : x.flattened(start: 1))
        return try maxout(h, pieces: pieces)
    }
}
