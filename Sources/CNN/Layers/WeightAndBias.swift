/// A layer whose parameters are a `weight` and an optional `bias` of `biasCount` values (Conv2d, Linear):
/// their state-dict order, the optional slot, and replacing either from the language (`conv.bias = nil`).
public protocol WeightAndBias: Layer {
    var weight: Tensor { get set }
    var bias: Tensor? { get set }
    /// How many values a bias has (the output channels or features).
    var biasCount: Int { get }
}

extension WeightAndBias {
    public var namedParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }
    public var optionalParameterNames: [String] { ["bias"] }

    public func setParameter(_ name: String, _ value: Tensor?) throws -> Bool {
        switch name {
        case "weight":
            guard let value else { throw CNNError.value("\(typeName).weight cannot be nil") }
            weight = try adoptParameter(value, replacing: weight, name: name)
        case "bias":
            bias = try value.map { try adoptParameter($0, replacing: bias ?? Tensor.zeros([biasCount]), name: name) }
        default:
            return false
        }
        return true
    }
}
