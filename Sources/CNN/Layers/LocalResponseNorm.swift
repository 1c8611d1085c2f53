/// Local response normalisation across channels (AlexNet); no parameters.
public final class LocalResponseNorm: Layer {
    public let size: Int, alpha: Double, beta: Double, k: Double
    public var output: Tensor?
    public var isTraining = true

    public init(_ size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) throws {
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
