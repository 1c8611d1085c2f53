/// Maxout: a linear map to `nout·pieces` features, then the max over each group of `pieces`.
public final class Maxout: Layer {
    public let inFeatures: Int, outFeatures: Int, pieces: Int
    public private(set) var linear: any Layer
    public var output: Tensor?
    public var isTraining = true

    /// Two linear pieces, as the course's maxout.
    public static let defaultPieces = 2

    public init(_ nin: Int, _ nout: Int, pieces: Int = defaultPieces) throws {
        guard pieces > 0 else { throw CNNError.value("Maxout needs at least one piece, got \(pieces)") }
        inFeatures = nin
        outFeatures = nout
        self.pieces = pieces
        linear = try Linear(nin, try Shape.multiply(nout, pieces, "Maxout: out features × pieces"))
    }

    public var typeName: String { "Maxout" }
    public var configDescription: String { "\(inFeatures), \(outFeatures), pieces=\(pieces)" }
    public var children: [(String, any Layer)] { [("linear", linear)] }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard name == "linear" else { return false }
        linear = layer
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let h = try linear(x.ndim == 2 ? x : x.flattened(start: 1))
        return try maxout(h, pieces: pieces)
    }
}
