import CNN
import Foundation
import Render

extension Builtins {
    static let display: [Builtin] = [
        B(
            .display, "show", .none,
            "Draws a tensor as an image (heat map, C maps, N×C rows, RGB filters), or every layer's activation maps "
                + "for input x.", "show(randn(3, 8, 8))"
        ) { d in
            let target = d.p("t", Value.self, doc: "a tensor, or a model")
            let input = d.p("x", Tensor?.self, doc: "the input when t is a model")
            let cmap = d.label("cmap", Choice<Colormap>?.self)
            let perMap = d.label("per_map", Bool.self, false, doc: "a value range per map instead of one for all")
            let maps = d.label(
                "maps", Int?.self, doc: "how many maps to draw (64 for a tensor, 16 per layer for a model)")
            let rgb = d.label("rgb", Bool?.self, doc: "draw 3-channel filters as colour images")
            let captions = d.label(
                "captions", Value?.self,
                doc: "one caption per image of a batch, drawn under each: a list of strings, or labels (a tensor of "
                    + "class indices, or scores N × classes, whose argmax is taken) named by classes:")
            let classes = d.label(
                "classes", [String]?.self,
                doc: "class names: they label captions, and a model's last row of one score per class")
            let truth = d.label(
                "truth", Tensor?.self,
                doc: "the true labels: captions that differ are marked as mistakes (red, with the true class)")
            return { a in
                let (v, s) = a.raw(target)
                if case .layer(let m) = v {
                    guard let x = try a[input] else { throw a.error(.type, "missing argument 'x' (the model's input)") }
                    let acts = try a.context.callingLayers { try m.activations(for: x) }
                    a.context.display(
                        try ActivationGrid.bundle(
                            input: x, activations: acts, maxMaps: a[maps] ?? 16, classes: a[classes]))
                    return .none
                }
                let t = try toTensor(v, s, "t")
                var o = ImageOptions()
                if let c = try a[cmap] { o.colormap = c }
                o.sharedScale = !(try a[perMap])
                o.maxMaps = try a[maps] ?? 64
                if let r = try a[rgb] { o.rgb = r }
                let (cv, cs) = a.raw(captions)
                if !cv.isNil {
                    let (shown, correct) = try Builtins.captionTexts(cv, cs, classes: a[classes], truth: a[truth])
                    a.context.display(try CaptionedImages.bundle(t, captions: shown, correct: correct, o))
                    return .none
                }
                a.context.display(try TensorImage.bundle(t, o))
                return .none
            }
        },
        B(
            .display, "conv_demo", .none,
            "The lecture's convolution demo: the padded input, the filters and biases, the output volume; step "
                + "or play through the output cells with the window outlined and its arithmetic written out.",
            "conv_demo()"
        ) { d in
            let x = d.p("x", Tensor?.self, doc: "the input, C×H×W or 1×C×H×W (none: the lecture's 5×5×3 example)")
            let w = d.p("w", Tensor?.self, doc: "the filters, K×C×kh×kw (or one filter C×kh×kw)")
            let b = d.p("b", Tensor?.self, doc: "the biases, K values (none: zeros)")
            let stride = d.label("stride", IntPair?.self, doc: "1, or 2 for the lecture's example")
            let padding = d.label("padding", IntPair?.self, doc: "0, or 1 for the lecture's example")
            return { a in
                let demo = try convDemo(a, x: a[x], w: a[w], b: a[b], stride: a[stride], padding: a[padding])
                a.context.display(demo)
                return .none
            }
        },
        B(
            .display, "plot", .none,
            "A line chart (SVG); several lists draw several lines with a legend; id: redraws the same display in "
                + "place.", "plot([3, 2, 1.5, 1.2], title: \"loss\", id: \"loss\")"
        ) { d in
            let values = d.rest("values", NumberSeries.self)
            let labelsArg = d.label("labels", [Value]?.self)
            let title = d.label("title", String?.self), xlabel = d.label("xlabel", String?.self)
            let ylabel = d.label("ylabel", String?.self), log = d.label("log", Bool.self, false)
            let id = d.label("id", String?.self, doc: "redraws the display with this id in place")
            return { a in
                let labels = try a[labelsArg]?.map(\.printed)
                let given = try a[values]
                var series: [Series] = []
                for (k, ys) in given.enumerated() {
                    let name =
                        labels.flatMap { k < $0.count ? $0[k] : nil } ?? (given.count > 1 ? "series \(k + 1)" : "")
                    series.append(Series(name: name, y: ys))
                }
                guard !series.isEmpty else { throw a.error(.type, "plot needs at least one list of values") }
                let svg = LinePlotSVG.render(
                    series, title: try a[title], xlabel: try a[xlabel], ylabel: try a[ylabel], logY: try a[log])
                let text =
                    "<plot: "
                    + series.map { "\($0.name.isEmpty ? "" : $0.name + " ")\($0.y.count) points" }.joined(
                        separator: ", ") + ">"
                a.context.display(MIMEBundle(data: ["image/svg+xml": svg, "text/plain": text]), id: try a[id])
                return .none
            }
        },
        B(
            .display, "progress", .generator,
            "Wraps a loop in a live progress bar that updates in place (about 10 times a second); a loop that runs "
                + "again (an epoch's) adds its bar under the last in the same output, and a bar whose loop an error "
                + "or a break left says so.",
            "for i in progress(0..<5) { }"
        ) { d in
            let iterable = d.p("iterable", Value.self)
            let label = d.label("label", String.self, "")
            return { a in
                let (v, s) = a.raw(iterable)
                let text = try a[label]
                let total: Int?
                switch v {
                case .range(let lo, let hi): total = try? rangeCount(lo, hi, s)
                case .list(let l): total = l.items.count
                case .tuple(let t): total = t.items.count
                case .dict(let dict): total = dict.count
                case .tensor(let t): total = t.shape.first
                case .generator(let g): total = g.count
                default: total = nil
                }
                let retained = a.context.retained()
                return .generator(
                    Generator(typeName: "Progress", count: total) {
                        guard let context = retained.context else { return { nil } }
                        let next = try iterator(v, s)
                        let display = context.progressDisplay()
                        display.current = ProgressBar(total: total, label: text, now: monotonicSeconds())
                        var last = 0.0
                        func emit(final: Bool) {
                            let now = monotonicSeconds()
                            context.progress(
                                display.bundle(now: now), id: display.id, first: !display.shown, final: final)
                            display.shown = true
                            last = now
                        }
                        emit(final: false)
                        var finished = false, started = false
                        return {
                            guard !finished else { return nil }
                            // an item counts as done when the loop asks for the next one (as tqdm counts)
                            if started { display.current?.done += 1 }
                            started = true
                            if let item = try next() {
                                if monotonicSeconds() - last >= 0.1 { emit(final: false) }
                                return item
                            }
                            emit(final: true)
                            if let bar = display.current {
                                let now = monotonicSeconds()
                                display.finished.append((bar.html(now: now), bar.text(now: now)))
                                display.current = nil
                            }
                            finished = true
                            return nil
                        }
                    })
            }
        },
        B(
            .display, "summary", .summary,
            "A table of layers (nested, named as in the state dict), output shapes and parameter counts, with totals "
                + "and memory.", "summary(LeNet5(), input: [1, 1, 32, 32])"
        ) { d in
            let model = d.p("model", LayerArgument.self)
            let input = d.label("input", [Int]?.self, doc: "an input shape, for output shapes")
            return { a in
                let (m, shape) = (try a[model], try a[input])
                let s = try a.context.callingLayers { try ModelSummary(model: m, input: shape) }
                return .rich(
                    RichValue(typeName: "Summary", text: s.text, bundle: ["text/plain": s.text, "text/html": s.html]))
            }
        },
    ]
}

extension Builtins {
    /// `conv_demo`'s volume: the arguments checked and shaped, the output computed by the runtime in Float64.
    static func convDemo(
        _ a: Args, x given: Tensor?, w wGiven: Tensor?, b bGiven: Tensor?, stride strideGiven: IntPair?,
        padding paddingGiven: IntPair?
    ) throws -> MIMEBundle {
        var x: Tensor, w: Tensor, b: Tensor?
        let stride: IntPair, padding: IntPair
        if let given {
            x = try given.detach().to(.float64)
            guard let wt = wGiven else {
                throw a.error(.type, "conv_demo(x, w): the filters w are missing")
            }
            w = try wt.detach().to(.float64)
            b = try bGiven?.detach().to(.float64)
            stride = strideGiven ?? IntPair(1)
            padding = paddingGiven ?? IntPair(0)
        } else {
            let ex = try LectureExample.tensors(dtype: .float64)
            (x, w, b) = (ex.x, ex.w, ex.b)
            stride = strideGiven ?? IntPair(LectureExample.stride)
            padding = paddingGiven ?? IntPair(LectureExample.padding)
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

/// A series of numbers: a tensor's elements, or a list or tuple of numbers.
enum NumberSeries: ArgumentType {
    static var valueType: ValueType { .listOf(.float) }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> [Double] {
        switch v {
        case .tensor(let t): return t.values
        case .list, .tuple: return try [Double].read(v, at)
        default:
            throw StrideError(
                .type, "\(at.builtin) draws lists or tensors of numbers, got \(v.typeName)", span: at.span)
        }
    }
}

extension Builtins {
    /// Captions from a list (each item's text) or from labels (class indices, or scores whose argmax is taken),
    /// named by `classes`; with `truth`, whether each is right, and the true class beside a wrong one.
    static func captionTexts(
        _ v: Value, _ s: Span, classes: [String]?, truth: Tensor?
    ) throws -> ([String], [Bool]?) {
        if case .list(let l) = v, truth == nil {
            return (l.items.map { if case .string(let str) = $0 { str } else { $0.repr } }, nil)
        }
        var labels = try toTensor(v, s, "captions")
        if labels.ndim == 2 { labels = try rt(s) { try labels.argmax(dim: 1) } }
        guard labels.ndim == 1 else {
            throw StrideError(
                .shape,
                "captions: labels must be one per image (or scores N × classes), got shape "
                    + shapeString(labels.shape), span: s)
        }
        func name(_ k: Double) throws -> String {
            guard let classes else { return k == k.rounded() ? String(Int(k)) : "\(k)" }
            guard k == k.rounded(), k >= 0, Int(k) < classes.count else {
                throw StrideError(.value, "captions: label \(k) is not a class in 0..<\(classes.count)", span: s)
            }
            return classes[Int(k)]
        }
        let predicted = labels.values
        var texts = try predicted.map(name)
        guard let truth else { return (texts, nil) }
        let actual = truth.values
        guard actual.count == predicted.count else {
            throw StrideError(
                .shape, "truth: \(actual.count) labels for \(predicted.count) captions", span: s)
        }
        let correct = zip(predicted, actual).map { $0 == $1 }
        for i in texts.indices where !correct[i] { texts[i] += " (true: \(try name(actual[i])))" }
        return (texts, correct)
    }
}
