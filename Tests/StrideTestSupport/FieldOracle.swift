import Testing
@testable import CNN

/// Receptive fields the slow, sure way: the model runs once with support gradients (`SupportGradients`: max
/// pooling spreads over its window as average pooling would, ReLU passes everything) and the support of the
/// input's gradient from one output cell is that cell's field. What `FieldGraph` must agree with.
struct FieldOracle {
    let x: Tensor
    let trace = ActivationTrace()

    init(_ model: any Layer, _ input: Tensor) throws {
        let modes = model.layerTree.layers.map { ($0, $0.isTraining) }
        model.eval()
        defer { for (l, m) in modes { l.isTraining = m } }
        x = input.detach()
        x.requiresGrad = true
        let (x, trace) = (x, trace)
        _ = try withSupportGradients { try trace.observing { try model(x) } }
    }

    /// The input rows and columns that cell `cell` (after the batch index; image 0) of call `call`'s output reads.
    func field(call: Int, cell: [Int]) throws -> FieldGraph.Rect? {
        guard let y = trace.calls[call].output, y.requiresGrad else { return nil }
        var seed = [Double](repeating: 0, count: y.count)
        var index = 0
        for (d, i) in zip(y.shape.dropFirst(), cell) { index = index * d + i }
        seed[index] = 1
        x.grad = nil
        try withSupportGradients {
            try y.backward(gradient: try Tensor(seed, shape: y.shape, dtype: y.dtype), retainGraph: true)
        }
        guard let g = x.grad else { return nil }
        let v = g.values
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        var r: FieldGraph.Rect? = nil
        for k in 0..<c {
            for i in 0..<h {
                for j in 0..<w where v[(k * h + i) * w + j] != 0 {
                    let cellRect = FieldGraph.Rect(top: i, bottom: i, left: j, right: j)
                    r = r.map { cellRect.union($0) } ?? cellRect
                }
            }
        }
        return r
    }

    /// A few cells of an output of `shape`: the corners, edges and centre of the first, middle and last
    /// channel, or every cell of a small output.
    static func cells(_ shape: [Int]) -> [[Int]] {
        guard shape.count == 4 else { return (0..<(shape.count > 1 ? shape[1] : 1)).map { [$0] } }
        let (c, h, w) = (shape[1], shape[2], shape[3])
        let rows = h * w <= 36 ? Array(0..<h) : Array(Set([0, 1, h / 2, h - 2, h - 1]).filter { $0 >= 0 && $0 < h })
        let cols = h * w <= 36 ? Array(0..<w) : Array(Set([0, 1, w / 2, w - 2, w - 1]).filter { $0 >= 0 && $0 < w })
        let channels = c <= 6 ? Array(0..<c) : [0, 1, c / 2, c - 2, c - 1]
        return channels.flatMap { k in rows.flatMap { i in cols.map { j in [k, i, j] } } }
    }

    /// Checks every call's output cells (a sample) against the graph; returns how many cells were compared.
    @discardableResult
    static func check(
        _ model: any Layer, _ input: Tensor, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        let (trace, _) = try model.tracedActivations(for: input)
        let graph = try FieldGraph(trace: trace, input: input)
        let oracle = try FieldOracle(model, input)
        #expect(oracle.trace.calls.count == trace.calls.count, "\(label): the runs made different calls")
        var compared = 0
        for (callIndex, node) in graph.callNodes.enumerated() {
            guard let node, callIndex < oracle.trace.calls.count, let y = oracle.trace.calls[callIndex].output,
                y.requiresGrad
            else { continue }
            for cell in cells(y.shape) {
                // an N×C×H×W output's cell is [c, i, j], an N×F one's [f]
                let (c, i, j) = cell.count == 3 ? (cell[0], cell[1], cell[2]) : (cell[0], 0, 0)
                let got = graph.field(of: node, channel: c, row: i, col: j)[0]?.union
                let want = try oracle.field(call: callIndex, cell: cell)
                #expect(
                    got == want,
                    "\(label): \(trace.calls[callIndex].layer.typeName) call \(callIndex) cell \(cell): graph \(String(describing: got)), gradient \(String(describing: want))",
                    sourceLocation: sourceLocation)
                compared += 1
            }
        }
        return compared
    }
}
