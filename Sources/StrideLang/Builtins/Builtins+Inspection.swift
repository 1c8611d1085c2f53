import CNN
import Render

extension Builtins {
    static let inspection: [Builtin] = [
        B(
            .display, "explore", .none,
            "An interactive view of every layer's activation maps: hover a cell for its value, position and "
                + "receptive field (outlined in the input and in every earlier layer it reads, map by map, along "
                + "the model's real data flow), click a map to enlarge it, colour scale per layer or per map. Front "
                + "ends that run no script show the maps as a picture.",
            "explore(Sequential(Conv2d(1, 4, kernel: 3), ReLU(), MaxPool2d(2)), randn(1, 1, 12, 12))"
        ) { d in
            let model = d.p("model", LayerArgument.self, doc: "a model or layer")
            let input = d.p("x", Tensor.self, doc: "its input (the first image of a batch is shown)")
            let maps = d.label("maps", Int.self, 16, doc: "maps per layer at most")
            return { a in
                let (m, x, count) = (try a[model], try a[input], try a[maps])
                guard count > 0 else { throw a.error(.value, "maps must be positive, got \(count)") }
                let (sections, graph) = try a.context.callingLayers { () throws -> ([ExplorerSection], FieldGraph) in
                    let (trace, acts) = try m.tracedActivations(for: x)
                    let graph = try FieldGraph(trace: trace, input: x)
                    let nodes = graph.callNodes
                    let shown = acts.map {
                        ExplorerSection(name: $0.name, typeName: $0.typeName, tensor: $0.output, node: nodes[$0.call])
                    }
                    return ([ExplorerSection(name: "input", typeName: "input", tensor: x, node: 0)] + shown, graph)
                }
                a.context.display(try ActivationExplorer.bundle(sections, fields: graph, maxMaps: count))
                return .none
            }
        },
        B(
            .display, "receptive_field", .dict,
            "The input cells one output cell of a layer reads, along the model's real data flow (through user "
                + "layers, residual sums and concatenations): [\"rows\": [first, last], \"cols\": [first, last]], "
                + "inclusive, as explore's hover prints it; empty lists when the cell reads only padding.",
            "receptive_field(Sequential(Conv2d(1, 2, kernel: 3), MaxPool2d(2)), randn(1, 1, 8, 8), at: [0, 1, 1])"
        ) { d in
            let model = d.p("model", LayerArgument.self, doc: "a model or layer")
            let input = d.p("x", Tensor.self, doc: "its input, N×C×H×W")
            let layerArg = d.label(
                "layer", Value?.self,
                doc: "the layer whose cell it is: a layer of the model, or its path as show and explore name it "
                    + "(\"2.conv\"); none: the model's output")
            let at = d.label(
                "at", [Int].self,
                doc: "the cell: [channel, row, column] of an N×C×H×W output, [feature] of an N×F one (image 0)")
            return { a in
                let (m, x, cell) = (try a[model], try a[input], try a[at])
                let (lv, ls) = a.raw(layerArg)
                let target: any Layer
                switch lv {
                case .none: target = m
                case .string(let path): target = try layer(at: path, in: m, a)
                default: target = try a.context.layer(from: lv, ls, "layer")
                }
                let found = try a.context.callingLayers { () throws -> (FieldGraph, Int)? in
                    let (trace, _) = try m.tracedActivations(for: x)
                    guard let call = trace.calls.indices.first(where: { trace.calls[$0].layer === target }) else {
                        return nil
                    }
                    let graph = try FieldGraph(trace: trace, input: x)
                    return graph.callNodes[call].map { (graph, $0) }
                }
                guard let (graph, node) = found else {
                    throw a.error(.value, "\(target.typeName) is not called when the model runs on this input")
                }
                let shape = graph.nodes[node].shape
                let dims = Array(shape.dropFirst())
                guard cell.count == dims.count else {
                    throw a.error(
                        .value,
                        "at: needs \(dims.count) numbers for an output of shape \(shapeString(shape)) "
                            + "(\(dims.count == 3 ? "[channel, row, column]" : "one per dimension after the batch")), "
                            + "got \(cell.count)")
                }
                for (k, (i, n)) in zip(cell, dims).enumerated() where i < 0 || i >= n {
                    throw a.error(.index, "at[\(k)] = \(i) is outside 0..<\(n) (output shape \(shapeString(shape)))")
                }
                let spatial = graph.nodes[node].isSpatial
                let regions = graph.field(
                    of: node, channel: spatial ? cell[0] : 0, row: spatial ? cell[1] : 0, col: spatial ? cell[2] : 0)
                let f = regions[0]?.union
                func pair(_ a: Int?, _ b: Int?) -> Value {
                    guard let a, let b else { return .list(ListRef([])) }
                    return .list(ListRef([.int(a), .int(b)]))
                }
                return .dict(
                    DictRef([
                        (.string("rows"), pair(f?.top, f?.bottom)), (.string("cols"), pair(f?.left, f?.right)),
                    ]))
            }
        },
    ]

    /// The layer at a dotted path of `model`, as `show` and `explore` name layers.
    private static func layer(at path: String, in model: any Layer, _ a: borrowing Args) throws -> any Layer {
        let tree = model.layerTree
        if let i = tree.layers.indices.first(where: { tree.path($0) == path }) { return tree.layers[i] }
        let names = tree.layers.indices.dropFirst().prefix(12).map { tree.path($0) }
        throw a.error(
            .value,
            "the model has no layer '\(path)'"
                + (names.isEmpty
                    ? "" : "; its layers: " + names.joined(separator: ", ") + (tree.layers.count > 13 ? ", …" : "")))
    }
}
