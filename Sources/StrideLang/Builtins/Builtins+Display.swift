import CNN
import Foundation
import Render

extension Builtins {
    static let display: [Builtin] = [
        B(
            "display", "show",
            [
                p("t", .any, doc: "a tensor, or a model"),
                p("x", .tensorLike, .none, doc: "the input when t is a model"),
                p("cmap", .string, .none, label: true, doc: "\"viridis\", \"grey\" or \"diverging\""),
                p("per_map", .bool, .bool(false), label: true, doc: "a value range per map instead of one for all"),
                p(
                    "maps", .int, .none, label: true,
                    doc: "how many maps to draw (64 for a tensor, 16 per layer for a model)"),
                p("rgb", .bool, .none, label: true, doc: "draw 3-channel filters as colour images"),
                p(
                    "captions", .listOf(.string), .none, label: true,
                    doc: "one caption per image of a batch, drawn under each (predictions beside the images)"),
            ], .none,
            "Draws a tensor as an image (heat map, C maps, N×C rows, RGB filters), or every layer's activation maps for input x.",
            "show(randn(3, 8, 8))"
        ) { a in
            let (v, s) = try a.required("t")
            let interp = a.interp
            if case .layer(let m) = v {
                let x = try a.tensor("x")
                let acts = try interp.callingLayer(a.span) { try m.activations(for: x) }
                interp.host.display(
                    try ActivationGrid.bundle(input: x, activations: acts, maxMaps: a.optInt("maps") ?? 16), id: nil,
                    update: false)
                return .none
            }
            let t = try interp.toTensor(v, s, "t")
            var o = ImageOptions()
            if let c = try a.optional("cmap") {
                guard case .string(let name) = c.0, let cm = Colormap(rawValue: name) else {
                    throw a.error(.value, "cmap must be \"viridis\", \"grey\" or \"diverging\", got \(c.0.repr)", c.1)
                }
                o.colormap = cm
            }
            o.sharedScale = !(try a.bool("per_map"))
            o.maxMaps = try a.optInt("maps") ?? 64
            if try a.given("rgb") { o.rgb = try a.bool("rgb") }
            if let (c, cs) = try a.optional("captions") {
                guard case .list(let l) = c else { throw a.error(.type, "captions must be a list of strings", cs) }
                let texts = l.items.map { item -> String in
                    if case .string(let str) = item { return str }
                    return item.repr
                }
                interp.host.display(try CaptionedImages.bundle(t, captions: texts, o), id: nil, update: false)
                return .none
            }
            interp.host.display(try TensorImage.bundle(t, o), id: nil, update: false)
            return .none
        },
        B(
            "display", "explore",
            [
                p("model", .layer, doc: "a model or layer"),
                p("x", .tensorLike, doc: "its input (the first image of a batch is shown)"),
                p("maps", .int, .int(16), label: true, doc: "maps per layer at most"),
            ], .none,
            "An interactive view of every layer's activation maps: hover a cell for its value, position and "
                + "receptive field (outlined in the input and earlier layers), click a map to enlarge it, "
                + "colour scale per layer or per map. Front ends that run no script show the maps as a picture.",
            "explore(Sequential(Conv2d(1, 4, kernel: 3), ReLU(), MaxPool2d(2)), randn(1, 1, 12, 12))"
        ) { a in
            let m = try a.layer("model")
            let x = try a.tensor("x")
            let maps = try a.int("maps")
            guard maps > 0 else { throw a.error(.value, "maps must be positive, got \(maps)") }
            let sections = try a.interp.callingLayer(a.span) { () throws -> [ExplorerSection] in
                let acts = try m.activations(for: x)
                var out = [ExplorerSection(name: "input", typeName: "input", tensor: x, window: nil)]
                var previous = x.shape
                for act in acts {
                    let window = act.layer.measuredWindow(inputShape: previous)
                    out.append(
                        ExplorerSection(name: act.name, typeName: act.typeName, tensor: act.output, window: window))
                    previous = act.output.shape
                }
                return out
            }
            a.interp.host.display(try ActivationExplorer.bundle(sections, maxMaps: maps), id: nil, update: false)
            return .none
        },
        B(
            "display", "conv_demo",
            [
                p("x", .tensorLike, .none, doc: "the input, C×H×W or 1×C×H×W (none: the lecture's 5×5×3 example)"),
                p("w", .tensorLike, .none, doc: "the filters, K×C×kh×kw (or one filter C×kh×kw)"),
                p("b", .tensorLike, .none, doc: "the biases, K values (none: zeros)"),
                p("stride", .pair, .none, label: true, doc: "1, or 2 for the lecture's example"),
                p("padding", .pair, .none, label: true, doc: "0, or 1 for the lecture's example"),
            ], .none,
            "The lecture's convolution demo: the padded input, the filters and biases, the output volume; step "
                + "or play through the output cells with the window outlined and its arithmetic written out.",
            "conv_demo()"
        ) { a in
            try a.interp.host.display(convDemo(a), id: nil, update: false)
            return .none
        },
        B(
            "display", "plot",
            [
                rest("values", .any), p("labels", .listOf(.string), .none, label: true),
                p("title", .string, .none, label: true), p("xlabel", .string, .none, label: true),
                p("ylabel", .string, .none, label: true), p("log", .bool, .bool(false), label: true),
                p("id", .string, .none, label: true, doc: "redraws the display with this id in place"),
            ], .none,
            "A line chart (SVG); several lists draw several lines with a legend; id: redraws the same display in place.",
            "plot([3, 2, 1.5, 1.2], title: \"loss\", id: \"loss\")"
        ) { a in
            let labels: [String]? = try a.optional("labels").map { v, s in
                guard case .list(let l) = v else { throw a.error(.type, "labels must be a list of strings", s) }
                return l.items.map(\.printed)
            }
            var series: [Series] = []
            for (k, (v, s)) in a.variadic.enumerated() {
                let ys: [Double]
                switch v {
                case .tensor(let t): ys = t.values
                case .list(let l): ys = try l.items.map { try a.interp.number($0, s) }
                case .tuple(let t): ys = try t.items.map { try a.interp.number($0, s) }
                default: throw a.error(.type, "plot draws lists or tensors of numbers, got \(v.typeName)", s)
                }
                let name =
                    labels.flatMap { k < $0.count ? $0[k] : nil } ?? (a.variadic.count > 1 ? "series \(k + 1)" : "")
                series.append(Series(name: name, y: ys))
            }
            guard !series.isEmpty else { throw a.error(.type, "plot needs at least one list of values") }
            let svg = LinePlotSVG.render(
                series, title: try a.optString("title"), xlabel: try a.optString("xlabel"),
                ylabel: try a.optString("ylabel"),
                logY: try a.bool("log"))
            let text =
                "<plot: "
                + series.map { "\($0.name.isEmpty ? "" : $0.name + " ")\($0.y.count) points" }.joined(separator: ", ")
                + ">"
            a.interp.display(MIMEBundle(data: ["image/svg+xml": svg, "text/plain": text]), id: try a.optString("id"))
            return .none
        },
        B(
            "display", "progress", [p("iterable", .any), p("label", .string, .string(""), label: true)], .generator,
            "Wraps a loop in a live progress bar that updates in place (about 10 times a second).",
            "for i in progress(0..<5) { }"
        ) { a in
            let (v, s) = try a.required("iterable")
            let label = try a.string("label")
            let total: Int?
            switch v {
            case .range(let lo, let hi): total = hi - lo
            case .list(let l): total = l.items.count
            case .tuple(let t): total = t.items.count
            case .dict(let d): total = d.count
            case .tensor(let t): total = t.shape.first
            case .generator(let g): total = g.count
            default: total = nil
            }
            let interp = a.interp
            return .generator(
                Generator(typeName: "Progress", count: total) { [weak interp] in
                    guard let interp else { return { nil } }
                    let next = try interp.iterator(v, s)
                    let id = "progress-\(UUID().uuidString)"
                    var bar = ProgressBar(total: total, label: label, now: interp.now())
                    var last = 0.0
                    var shown = false
                    func emit(final: Bool) {
                        let now = interp.now()
                        let b = MIMEBundle(data: ["text/html": bar.html(now: now), "text/plain": bar.text(now: now)])
                        interp.host.progress(b, id: id, first: !shown, final: final)
                        shown = true
                        last = now
                    }
                    emit(final: false)
                    return {
                        if let item = try next() {
                            bar.done += 1
                            if interp.now() - last >= 0.1 { emit(final: false) }
                            return item
                        }
                        emit(final: true)
                        return nil
                    }
                })
        },
        B(
            "display", "summary",
            [
                p("model", .layer),
                p("input", .listOf(.int), .none, label: true, doc: "an input shape, for output shapes"),
            ],
            .summary,
            "A table of layers (nested, named as in the state dict), output shapes and parameter counts, with totals and memory.",
            "summary(LeNet5(), input: [1, 1, 32, 32])"
        ) { a in
            let m = try a.layer("model")
            let input = try a.ints("input")
            let s = try a.interp.callingLayer(a.span) { try ModelSummary(model: m, input: input) }
            return .rich(
                RichValue(typeName: "Summary", text: s.text, bundle: ["text/plain": s.text, "text/html": s.html]))
        },
    ]
}

extension Interpreter {
    /// Sends a display; with an id, the first send creates it and later sends update it in place.
    func display(_ b: MIMEBundle, id: String?) {
        guard let id else {
            host.display(b, id: nil, update: false)
            return
        }
        let known = session?.displayIDs.contains(id) ?? false
        session?.displayIDs.insert(id)
        host.display(b, id: id, update: known)
    }
}

extension Builtins {
    /// `conv_demo`'s volume: the arguments checked and shaped, the output computed by the runtime in Float64.
    static func convDemo(_ a: Args) throws -> MIMEBundle {
        var x: Tensor, w: Tensor, b: Tensor?
        let stride: IntPair, padding: IntPair
        if try a.given("x") {
            x = try a.tensor("x").detach().to(.float64)
            guard let wt = try a.optTensor("w") else {
                throw a.error(.type, "conv_demo(x, w): the filters w are missing")
            }
            w = try wt.detach().to(.float64)
            b = try a.optTensor("b")?.detach().to(.float64)
            stride = try a.given("stride") ? try a.pair("stride") : IntPair(1)
            padding = try a.given("padding") ? try a.pair("padding") : IntPair(0)
        } else {
            let ex = try LectureExample.tensors(dtype: .float64)
            (x, w, b) = (ex.x, ex.w, ex.b)
            stride = try a.given("stride") ? try a.pair("stride") : IntPair(LectureExample.stride)
            padding = try a.given("padding") ? try a.pair("padding") : IntPair(LectureExample.padding)
        }
        if x.ndim == 3 { x = try x.unsqueezed(0) }
        if w.ndim == 3 { w = try w.unsqueezed(0) }
        guard x.ndim == 4, x.shape[0] == 1 else {
            throw a.error(.shape, "conv_demo shows one input, C×H×W or 1×C×H×W; got \(shapeString(x.shape))")
        }
        guard w.ndim == 4, w.shape[1] == x.shape[1] else {
            throw a.error(
                .shape,
                "conv_demo needs filters K×\(x.shape[1])×kh×kw for an input of \(x.shape[1]) channel"
                    + "\(x.shape[1] == 1 ? "" : "s"); got \(shapeString(w.shape))")
        }
        let (c, h, wd, k) = (x.shape[1], x.shape[2], x.shape[3], w.shape[0])
        guard padding.h >= 0, padding.w >= 0, padding.h <= 8, padding.w <= 8 else {
            throw a.error(.value, "conv_demo padding must be 0 to 8, got \(padding)")
        }
        let (hp, wp) = (h + 2 * padding.h, wd + 2 * padding.w)
        guard c * hp * wp <= 4096, k <= 16, w.count <= 4096 else {
            throw a.error(
                .value,
                "conv_demo draws every number: at most 4096 padded input values and 16 filters, got "
                    + "\(c)×\(hp)×\(wp) = \(c * hp * wp) values and \(k) filters")
        }
        let bias = try b.map { try $0.reshaped([-1]).values } ?? [Double](repeating: 0, count: k)
        guard bias.count == k else { throw a.error(.shape, "conv_demo needs \(k) biases, got \(bias.count)") }
        let all = x.values + w.values + bias
        guard all.allSatisfy(\.isFinite) else { throw a.error(.value, "conv_demo draws finite numbers only") }
        let y = try x.conv2d(
            w, bias: try Tensor(bias, shape: [k], dtype: .float64),
            Conv2dOptions(stride: stride.tuple, padding: padding.tuple))
        // the padded input, as the demo shows it
        var padded = [Double](repeating: 0, count: c * hp * wp)
        let xv = x.values
        for ch in 0..<c {
            for r in 0..<h {
                for q in 0..<wd { padded[(ch * hp + r + padding.h) * wp + q + padding.w] = xv[(ch * h + r) * wd + q] }
            }
        }
        return try ConvDemo.bundle(
            ConvDemo.Volume(
                input: Tensor(padded, shape: [c, hp, wp], dtype: .float64), padding: padding,
                weight: w, bias: bias, output: y.index([.index(0)]), stride: stride))
    }
}
