extension FieldGraph {
    /// The graph of the forward pass `trace` recorded from `input`: every call's output is a node
    /// (`callNodes`); a declared layer links its output to its input by its window; a container adds
    /// nothing (its output is a sublayer's); any other layer's own code is declared (`DeclaresDataFlow`) or
    /// measured (`FieldProbe`), making nodes for what it passes to its sublayers.
    public init(trace: ActivationTrace, input: Tensor) throws {
        var b = Builder(trace: trace)
        b.input = b.node(input, tick: -1)
        for c in trace.calls { if let y = c.output { _ = b.node(y, tick: c.returned) } }
        let made = trace.callsMade
        for i in trace.calls.indices {
            try Cancellation.check()
            try b.addLinks(of: i, made: made[i])
        }
        self = b.finish()
    }

    /// Each call's output node (nil for a call that returned no tensor).
    public var callNodes: [Int?] { callNodeList }
}

/// Collects nodes (by tensor identity, stamped with when they were made) and links, then orders the nodes.
private struct Builder {
    let trace: ActivationTrace
    var ids: [ObjectIdentifier: Int] = [:]
    var shapes: [[Int]] = []
    var ticks: [Int] = []
    var held: [Tensor] = []
    var links: [FieldGraph.Link] = []
    var input = 0

    init(trace: ActivationTrace) { self.trace = trace }

    mutating func node(_ t: Tensor, tick: Int) -> Int {
        if let id = ids[ObjectIdentifier(t)] {
            ticks[id] = Swift.min(ticks[id], tick)
            return id
        }
        ids[ObjectIdentifier(t)] = shapes.count
        shapes.append(t.shape)
        ticks.append(tick)
        held.append(t)
        return shapes.count - 1
    }

    func known(_ t: Tensor) -> Int? { ids[ObjectIdentifier(t)] }

    mutating func addLinks(of i: Int, made: [Int]) throws {
        let call = trace.calls[i]
        guard let y = call.output, let out = known(y), !call.layer.isContainer else { return }
        guard let x = call.input else { return }
        let source = known(x) ?? stranded(x, in: i)
        if let declared = call.layer as? any DeclaresSpatialWindow {
            let window = declared.spatialWindow(input: x.shape)
            link(
                out, source, channels: nil, map: declared.channelMap,
                cells: window.map { w in
                    .tables(
                        rows: w.rows(
                            outputs: y.shape.count == 4 ? y.shape[2] : 1, inputs: x.shape.count == 4 ? x.shape[2] : 1),
                        cols: w.cols(
                            outputs: y.shape.count == 4 ? y.shape[3] : 1, inputs: x.shape.count == 4 ? x.shape[3] : 1))
                } ?? .whole)
            return
        }
        // the targets the layer's own code made: sublayer inputs and an output that are no call's output
        let calls = made.map { trace.calls[$0] }
        let needsInput = calls.map { c in c.input.map { known($0) == nil } ?? false }
        let needsOutput = y !== x && !calls.contains { $0.output === y }
        guard needsInput.contains(true) || needsOutput else { return }
        let flow =
            (call.layer as? any DeclaresDataFlow)?.dataFlow(
                input: x.shape,
                calls: calls.map {
                    SublayerCall(layer: $0.layer, inputShape: $0.input?.shape, outputShape: $0.output?.shape)
                })
            ?? FieldProbe.measure(call.layer, input: x, calls: calls, needsInput: needsInput, needsOutput: needsOutput)
            ?? DataFlow(
                inputs: needsInput.map { $0 ? [DataFlow.Part(.input, map: .all, cells: .whole)] : nil },
                output: [DataFlow.Part(.input, map: .all, cells: .whole)])
        func node(of s: DataFlow.Source) -> Int? {
            switch s {
            case .input: source
            case .call(let k): k < calls.count ? calls[k].output.flatMap(known) : nil
            }
        }
        for (k, c) in calls.enumerated() where needsInput[k] {
            guard let t = c.input, k < flow.inputs.count, let parts = flow.inputs[k] else { continue }
            let target = self.node(t, tick: c.began)
            for p in parts {
                if let s = node(of: p.source) { link(target, s, channels: p.channels, map: p.map, cells: p.cells) }
            }
        }
        if needsOutput, let parts = flow.output {
            for p in parts {
                if let s = node(of: p.source) { link(out, s, channels: p.channels, map: p.map, cells: p.cells) }
            }
        }
    }

    /// A call's input that nothing recorded made (its caller's code failed to be measured): a node read from
    /// the whole of the model's input.
    mutating func stranded(_ x: Tensor, in i: Int) -> Int {
        let n = node(x, tick: trace.calls[i].began)
        link(n, input, channels: nil, map: .all, cells: .whole)
        return n
    }

    mutating func link(
        _ target: Int, _ source: Int, channels: Range<Int>?, map: ChannelMap, cells: DataFlow.Cells
    ) {
        guard target != source else { return }
        let (t, s) = (FieldGraph.Node(shape: shapes[target]), FieldGraph.Node(shape: shapes[source]))
        let spatial = t.isSpatial && s.isSpatial
        var l = FieldGraph.Link(
            target: target, source: source, channels: channels ?? 0..<t.channels, map: spatial ? map : .all,
            rows: nil, cols: nil)
        switch cells {
        case .whole:
            break
        case _ where !spatial:
            break
        case .same:
            l.rows = (0..<t.height).map { $0 < s.height ? $0...$0 : nil }
            l.cols = (0..<t.width).map { $0 < s.width ? $0...$0 : nil }
        case .tables(let rows, let cols):
            guard rows.count == t.height, cols.count == t.width else { break }
            (l.rows, l.cols) = (rows, cols)
        }
        links.append(l)
    }

    /// The graph with its nodes in the order they were made.
    func finish() -> FieldGraph {
        let order = shapes.indices.sorted { (ticks[$0], $0) < (ticks[$1], $1) }
        var newId = [Int](repeating: 0, count: shapes.count)
        for (n, old) in order.enumerated() { newId[old] = n }
        var g = FieldGraph()
        g.nodes = order.map { FieldGraph.Node(shape: shapes[$0]) }
        g.links = links.map { l in
            var m = l
            (m.target, m.source) = (newId[l.target], newId[l.source])
            return m
        }
        g.callNodeList = trace.calls.map { c in c.output.flatMap { known($0) }.map { newId[$0] } }
        return g
    }
}
