/// Dropout with probability `p`, active in training mode only.
public final class Dropout: Layer {
    public let p: Double
    public var output: Tensor?
    public var isTraining = true

    /// PyTorch's drop probability.
    public static let defaultP = 0.5

    public init(_ p: Double = defaultP) throws {
        guard p >= 0 && p <= 1 else { throw CNNError.value("Dropout probability must be in [0, 1], got \(p)") }
        self.p = p
    }

    public var typeName: String { "Dropout" }
    public var configDescription: String { "p=\(p)" }
    public func forward(_ x: Tensor) throws -> Tensor { try x.dropout(p: p, training: isTraining) }
}
