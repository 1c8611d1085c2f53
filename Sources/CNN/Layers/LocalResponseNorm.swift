/// Local response normalisation across channels (AlexNet); no parameters.
public final class LocalResponseNorm: Layer {
    public let size: Int, alpha: Double, beta: Double, k: Double
    public var output: Tensor?
    public var isTraining = true

    /// AlexNet's (and PyTorch's) constants, which the language's `LocalResponseNorm` and `local_response_norm` use.
    public static let defaults = (alpha: 1e-4, beta: 0.75, k: 1.0)

    public init(
        _ size: Int, alpha: Double = defaults.alpha, beta: Double = defaults.beta, k: Double = defaults.k
    ) throws {
        guard size > 0 else { throw CNNError.value("LocalResponseNorm size must be positive, got \(size)") }
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    public var typeName: String { "LocalResponseNorm" }
    public var configDescription: String { "\(size), alpha=\(alpha), beta=\(beta), k=\(k)" }
    public func forward(_ x: Tensor) throws -> Tensor {
        try localResponseNorm(x, size: size, alpha: alpha, beta: beta, k: k)
    }
}
