/// body(x) + shortcut(x) (identity shortcut by default), the ResNet building block.
public final class Residual: Layer {
    public private(set) var body: any Layer
    public private(set) var shortcut: (any Layer)?
    public let postActivation: Bool
    public var output: Tensor?
    public var isTraining = true

    public init(_ body: any Layer, shortcut: (any Layer)? = nil, relu: Bool = false) {
        self.body = body
        self.shortcut = shortcut
        self.postActivation = relu
    }

    deinit {
        // the children go to the iterative release; a placeholder takes the body's place meanwhile
        var held: [any Layer] = [body] + (shortcut.map { [$0] } ?? [])
        body = Flatten()
        shortcut = nil
        DeferredRelease.dispose(layers: &held)
    }

    public var typeName: String { "Residual" }
    public var children: [(String, any Layer)] { [("body", body)] + (shortcut.map { [("shortcut", $0)] } ?? []) }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        switch name {
        case "body": body = layer
        case "shortcut": shortcut = layer
        default: return false
        }
        return true
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        let s = try shortcut.map { try $0(x) } ?? x
        guard y.shape == s.shape else {
            throw CNNError.shape(
                "Residual: body output \(shapeString(y.shape)) and shortcut \(shapeString(s.shape)) differ; "
                    + "give a shortcut that matches (e.g. a 1x1 Conv2d with stride)")
        }
        let sum = try y + s
        return postActivation ? try sum.relu() : sum
    }
}
