/// Fully connected layer: y = x Wᵀ + b, W (out, in); in·out + out parameters.
public final class Linear: WeightAndBias {
    public let inFeatures: Int, outFeatures: Int
    public var weight: Tensor
    public var bias: Tensor?
    public var output: Tensor?
    public var isTraining = true

    public init(_ nin: Int, _ nout: Int, bias: Bool = true) throws {
        guard nin > 0, nout > 0 else { throw CNNError.value("Linear needs positive sizes, got \(nin) → \(nout)") }
        inFeatures = nin
        outFeatures = nout
        weight = try parameter([nout, nin])
        self.bias = bias ? try parameter([nout]) : nil
        try Init.torchDefault(weight: weight, bias: self.bias)
    }

    public var typeName: String { "Linear" }
    public var configDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }
    public var biasCount: Int { outFeatures }

    public func forward(_ x: Tensor) throws -> Tensor {
        guard x.ndim >= 1, x.shape[x.ndim - 1] == inFeatures else {
            throw CNNError.shape(
                "Linear expected \(inFeatures) input features, got \(x.shape.last ?? 0) (input \(shapeString(x.shape)))"
            )
        }
        return try linear(x, weight, bias)
    }
}
