import CNN
import Render
import Foundation

extension Builtins {
    static let display: [Builtin] = [
        B("display", "show", "show(t) or show(model, x)", "Draws a tensor as an image (heat map, C maps, N×C rows, RGB filters), or every layer's activation maps for input x.", "show(conv.weight)") { a, i in
            let v = try a.value(0, "t")
            if case .layer(let m) = v {
                let x = try a.tensor(1, "x")
                let maps = try a.int(nil, "maps", default: 16)
                i.host.display(try ActivationGrid.bundle(model: m, input: x, maxMaps: maps), id: nil, update: false)
                return .none
            }
            let t = try i.toTensor(v, a.spanOf(0), "t")
            var o = ImageOptions()
            if let c = try a.label("cmap").map({ v -> Colormap in
                guard case .string(let s) = v, let c = Colormap(rawValue: s) else { throw a.error(.value, "cmap must be \"viridis\", \"grey\" or \"diverging\"") }
                return c
            }) { o.colormap = c }
            o.sharedScale = !(try a.bool(nil, "per_map", default: false))
            o.maxMaps = try a.int(nil, "maps", default: 64)
            if let r = a.label("rgb") { guard case .bool(let b) = r else { throw a.error(.type, "rgb must be a Bool") }; o.rgb = b }
            i.host.display(try TensorImage.bundle(t, o), id: nil, update: false)
            return .none
        },
        B("display", "plot", "plot(values…, labels: nil, title: nil, xlabel: nil, ylabel: nil, log: false, id: nil)", "A line chart (SVG); several lists draw several lines with a legend; id: redraws the same display in place.", "plot(losses, title: \"loss\", id: \"loss\")") { a, i in
            var series: [Series] = []
            let labels: [String]? = try a.label("labels").map { v in
                guard case .list(let l) = v else { throw a.error(.type, "labels must be a list of strings") }
                return l.items.map { $0.printed }
            }
            for k in 0..<a.count {
                guard let v = a.at(k) else { continue }
                let ys: [Double]
                switch v {
                case .tensor(let t): ys = t.values
                case .list(let l): ys = try l.items.map { try i.number($0, a.spanOf(k)) }
                case .tuple(let t): ys = try t.map { try i.number($0, a.spanOf(k)) }
                default: throw a.error(.type, "plot draws lists or tensors of numbers, got \(v.typeName)", a.spanOf(k))
                }
                series.append(Series(name: labels.flatMap { k < $0.count ? $0[k] : nil } ?? (a.count > 1 ? "series \(k + 1)" : ""), y: ys))
            }
            guard !series.isEmpty else { throw a.error(.type, "plot needs at least one list of values") }
            let title = a.label("title")?.printed, xl = a.label("xlabel")?.printed, yl = a.label("ylabel")?.printed
            let logY = try a.bool(nil, "log", default: false)
            let svg = LinePlotSVG.render(series, title: title, xlabel: xl, ylabel: yl, logY: logY)
            let text = "<plot: " + series.map { "\($0.name.isEmpty ? "" : $0.name + " ")\($0.y.count) points" }.joined(separator: ", ") + ">"
            let bundle = MIMEBundle(data: ["image/svg+xml": svg, "text/plain": text])
            let id = a.label("id")?.printed
            i.display(bundle, id: id)
            return .none
        },
        B("display", "progress", "progress(iterable, label: \"\")", "Wraps a loop in a live progress bar that updates in place (about 10 times a second).", "for (xb, yb) in progress(batches(x, y, size: 64)) { … }") { a, i in
            let v = try a.value(0, "iterable")
            let label = try a.string(nil, "label", default: "")
            let total: Int?
            switch v {
            case .range(let lo, let hi): total = hi - lo
            case .list(let l): total = l.items.count
            case .tuple(let t): total = t.count
            case .tensor(let t): total = t.shape.first
            case .generator(let g): total = g.count
            default: total = nil
            }
            let span = a.span
            return .generator(Generator(typeName: "Progress", count: total) {
                let next = try i.iterator(v, span)
                let id = "progress-\(UUID().uuidString)"
                var bar = ProgressBar(total: total, label: label, now: i.now())
                var last = 0.0
                var shown = false
                func emit(final: Bool) {
                    let now = i.now()
                    let b = MIMEBundle(data: ["text/html": bar.html(now: now), "text/plain": bar.text(now: now)])
                    i.host.progress(b, id: id, first: !shown, final: final)
                    shown = true
                    last = now
                }
                emit(final: false)
                return {
                    if let item = try next() {
                        if bar.done > 0 || shown { }
                        bar.done += 1
                        if i.now() - last >= 0.1 { emit(final: false) }
                        return item
                    }
                    emit(final: true)
                    return nil
                }
            })
        },
        B("display", "summary", "summary(model, input: [1, 3, 32, 32])", "A table of layers, output shapes and parameter counts, with totals and memory.", "summary(LeNet5(), input: [1, 1, 32, 32])") { a, _ in
            let m = try a.layer(0, "model")
            let input = try a.ints(nil, "input")
            let s = try ModelSummary(model: m, input: input)
            return .rich(RichValue(typeName: "Summary", text: s.text, bundle: ["text/plain": s.text, "text/html": s.html]))
        },
    ]
}

extension Interpreter {
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Sends a display; with an id, the first send creates it and later sends update it in place.
    func display(_ b: MIMEBundle, id: String?) {
        guard let id else { host.display(b, id: nil, update: false); return }
        let known = session?.displayIDs.contains(id) ?? false
        session?.displayIDs.insert(id)
        host.display(b, id: id, update: known)
    }
}
