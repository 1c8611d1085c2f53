/// An error from one stage of a `Sequential`, with where it happened: the stage's name under each container on
/// the way down (`["1", "3"]` for `model[1][3]`), the failing layer as PyTorch prints it, and its input's
/// shape. The language names the model by the call that ran it (`in model[3] (Linear(…))`).
public struct StageFailure: Error, CustomStringConvertible {
    public var path: [String]
    public var layer: String
    public var inputShape: [Int]
    public var error: any Error

    public init(stage: String, layer: any Layer, input: Tensor, error: any Error) {
        path = [stage]
        let config = layer.children.isEmpty ? layer.configDescription : ""
        self.layer = config.isEmpty ? layer.typeName : "\(layer.typeName)(\(config))"
        inputShape = input.shape
        self.error = error
    }

    /// The same failure seen from the container one level up, where this one is stage `stage`.
    public func within(_ stage: String) -> StageFailure {
        var f = self
        f.path.insert(stage, at: 0)
        return f
    }

    /// `[1][3]` for numbered stages, `.conv` for named ones.
    public var pathText: String { path.map { Int($0) != nil ? "[\($0)]" : ".\($0)" }.joined() }

    public var description: String { "\(error) (in stage \(pathText), \(layer))" }
}
