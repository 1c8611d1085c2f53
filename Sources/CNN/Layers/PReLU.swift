/// PReLU: max(0, x) + a·min(0, x) with learned slopes (one shared, or one per channel), init 0.25.
public final class PReLU: Layer {
    public var weight: Tensor
    public var output: Tensor?
    public var isTraining = true

    /// PyTorch's initial slope.
    public static let defaultInitial = 0.25

    public init(_ channels: Int = 1, initial: Double = defaultInitial) throws {
        guard channels > 0 else { throw CNNError.value("PReLU needs a positive parameter count, got \(channels)") }
        weight = try parameter([channels])
        weight.filled(initial)
    }

    public var typeName: String { "PReLU" }
    public var configDescription: String { "num_parameters=\(weight.count)" }
    public var namedParameters: [(String, Tensor)] { [("weight", weight)] }

    public func setParameter(_ name: String, _ value: Tensor?) throws -> Bool {
        guard name == "weight" else { return false }
        guard let value else { throw CNNError.value("PReLU.weight cannot be nil") }
        weight = try adoptParameter(value, replacing: weight, name: name)
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor { try x.prelu(weight) }
}
