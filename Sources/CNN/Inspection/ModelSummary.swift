/// One row of a model summary.
public struct SummaryRow: Sendable {
    public var depth: Int
    public var name: String
    public var type: String
    public var outputShape: [Int]?
    public var params: Int
    public var trainable: Int
}

/// A torchinfo/Keras-style summary as data: a row per layer (nested, named as in the state dict), output
/// shapes from one forward pass of a zero input (eval mode, no graph), parameter counts and totals.
/// Drawing it is Render's job.
public struct ModelSummary: Sendable {
    public var rows: [SummaryRow]
    public var totalParams: Int, trainableParams: Int
    public var activationBytes: Int
    public var input: [Int]?

    public init(model: any Layer, input: [Int]?) throws {
        self.input = input
        var shapes: [ObjectIdentifier: [Int]] = [:]
        var act = 0
        if let input {
            let x = try Tensor.zeros(input)
            let was = model.isTraining
            model.eval()
            defer { model.train(was) }
            let trace = ActivationTrace()
            _ = try trace.observing { try withNoGrad { try model(x) } }
            for e in trace.entries {
                shapes[ObjectIdentifier(e.layer)] = e.output.shape
                if e.layer.children.isEmpty { act += e.output.count * e.output.dtype.byteSize }
            }
        }
        var rows: [SummaryRow] = []
        var visiting = Set<ObjectIdentifier>()
        func walk(_ l: any Layer, _ name: String, _ depth: Int) {
            let id = ObjectIdentifier(l)
            guard !visiting.contains(id), depth < 200 else {
                let note = depth < 200 ? "shown above" : "nested deeper than 200 levels: not shown"
                rows.append(
                    SummaryRow(
                        depth: depth, name: name, type: "\(l.typeName) (\(note))", outputShape: nil, params: 0,
                        trainable: 0))
                return
            }
            visiting.insert(id)
            defer { visiting.remove(id) }
            let own = l.namedParameters.reduce(0) { $0 + $1.1.count }
            let ownTrain = l.namedParameters.filter { $0.1.requiresGrad }.reduce(0) { $0 + $1.1.count }
            let leaf = l.children.isEmpty
            rows.append(
                SummaryRow(
                    depth: depth, name: name, type: l.typeName, outputShape: shapes[id],
                    params: leaf ? own : l.parameterCount, trainable: leaf ? ownTrain : l.trainableCount))
            for (n, c) in l.children { walk(c, n, depth + 1) }
        }
        walk(model, "", 0)
        self.rows = rows
        totalParams = model.parameterCount
        trainableParams = model.trainableCount
        activationBytes = act
    }
}
