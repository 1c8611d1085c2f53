/// Squeeze-and-Excitation: channel weights from global pooling → FC(C/r) → ReLU → FC(C) → sigmoid.
public final class SqueezeExcite: Layer {
    public let channels: Int, reduction: Int
    public private(set) var fc1: any Layer, fc2: any Layer
    public var output: Tensor?
    public var isTraining = true

    /// SENet's reduction ratio.
    public static let defaultReduction = 16

    public init(_ c: Int, reduction: Int = defaultReduction) throws {
        guard c > 0, reduction > 0 else {
            throw CNNError.value("SqueezeExcite needs positive channels and reduction, got \(c), \(reduction)")
        }
        channels = c
        self.reduction = reduction
        let mid = Swift.max(1, c / reduction)
        fc1 = try Conv2d(c, mid, kernel: IntPair(1))
        fc2 = try Conv2d(mid, c, kernel: IntPair(1))
    }

    public var typeName: String { "SqueezeExcite" }
    public var configDescription: String { "\(channels), reduction=\(reduction)" }
    public var children: [(String, any Layer)] { [("fc1", fc1), ("fc2", fc2)] }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        switch name {
        case "fc1": fc1 = layer
        case "fc2": fc2 = layer
        default: return false
        }
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let s = try fc2(fc1(x.globalAvgPool()).relu()).sigmoid()
        return try x * s
    }
}
