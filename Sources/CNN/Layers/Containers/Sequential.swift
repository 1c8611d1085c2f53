/// Layers applied in order; indexable (`model[0]`) and iterable.
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
    public var children: [(String, any Layer)] { Array(zip(names, layers)) }
    public func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for l in layers { h = try l(h) }
        return h
    }
    /// Appends a layer (named by its index).
    public func append(_ l: any Layer) { layers.append(l); names.append(String(layers.count - 1)) }
}

/// body(x) + shortcut(x) (identity shortcut by default), the ResNet building block.
public final class Residual: Layer {
    public let body: any Layer
    public let shortcut: (any Layer)?
    public let postActivation: Bool
    public var output: Tensor?
    public var isTraining = true
    public init(_ body: any Layer, shortcut: (any Layer)? = nil, relu: Bool = false) {
        self.body = body; self.shortcut = shortcut; self.postActivation = relu
    }
    public var typeName: String { "Residual" }
    public var children: [(String, any Layer)] { [("body", body)] + (shortcut.map { [("shortcut", $0)] } ?? []) }
    public func forward(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        let s = try shortcut.map { try $0(x) } ?? x
        guard y.shape == s.shape else {
            throw CNNError.shape("Residual: body output \(shapeString(y.shape)) and shortcut \(shapeString(s.shape)) differ; give a shortcut that matches (e.g. a 1x1 Conv2d with stride)")
        }
        let sum = try y + s
        return postActivation ? try sum.relu() : sum
    }
}

/// Runs branches on the same input and concatenates their outputs along channels
/// (Inception and DenseNet blocks).
public final class Concat: Layer {
    public let branches: [any Layer]
    public let names: [String]
    public var output: Tensor?
    public var isTraining = true
    public init(_ branches: [any Layer], names: [String]? = nil) { self.branches = branches; self.names = names ?? branches.indices.map(String.init) }
    public var typeName: String { "Concat" }
    public var children: [(String, any Layer)] { Array(zip(names, branches)) }
    public func forward(_ x: Tensor) throws -> Tensor {
        let ys = try branches.map { try $0(x) }
        return try Tensor.concat(ys, dim: 1)
    }
}

/// Squeeze-and-Excitation: channel weights from global pooling → FC(C/r) → ReLU → FC(C) → sigmoid.
public final class SqueezeExcite: Layer {
    public let channels: Int, reduction: Int
    public let fc1: Conv2d, fc2: Conv2d
    public var output: Tensor?
    public var isTraining = true
    public init(_ c: Int, reduction: Int = 16) throws {
        guard c > 0, reduction > 0 else { throw CNNError.value("SqueezeExcite needs positive channels and reduction, got \(c), \(reduction)") }
        channels = c; self.reduction = reduction
        let mid = Swift.max(1, c / reduction)
        fc1 = try Conv2d(c, mid, kernel: IntPair(1)); fc2 = try Conv2d(mid, c, kernel: IntPair(1))
    }
    public var typeName: String { "SqueezeExcite" }
    public var configDescription: String { "\(channels), reduction=\(reduction)" }
    public var children: [(String, any Layer)] { [("fc1", fc1), ("fc2", fc2)] }
    public func forward(_ x: Tensor) throws -> Tensor {
        let s = try fc2(fc1(x.globalAvgPool()).relu()).sigmoid()
        return try x * s
    }
}
