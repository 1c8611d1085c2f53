public import CNN
import Foundation

/// `show(model, x)`: every layer's activation maps for one input, labelled with the layer name, output
/// shape and value range — the lecture's "activation maps" slides for any model. It draws what it is given
/// (`Layer.activations(for:)` runs the model).
public enum ActivationGrid {
    /// Draws the input and each activation (the first image of the batch); with `classes`, a last activation
    /// of one score per class is a row of the class names with their scores.
    public static func bundle(
        input x: Tensor, activations: [LayerActivation], maxMaps: Int = 16, classes: [String]? = nil
    ) throws -> MIMEBundle {
        var html = "<div class=\"stride-activations\" style=\"font-family: sans-serif; font-size: 12px\">"
        var text = ["activation maps for input \(shapeString(x.shape)):"]
        func section(_ name: String, _ t: Tensor) throws {
            html += try figure(name, t, maxMaps: maxMaps)
            text.append("  \(name): \(shapeString(t.shape))" + (t.count == 0 ? " (empty)" : ""))
        }
        try section("input", x)
        for (k, a) in activations.enumerated() {
            let label = a.name == a.typeName ? a.name : "\(a.name) \(a.typeName)"
            if k == activations.count - 1, let classes, a.output.ndim == 2, a.output.shape[1] == classes.count {
                let scores = try firstImage(a.output).values
                html += scoreRow(label: label, shape: a.output.shape, scores: scores, classes: classes)
                let best = scores.indices.max { scores[$0] < scores[$1] }
                text.append(
                    "  \(label): \(shapeString(a.output.shape))" + (best.map { " (highest: \(classes[$0]))" } ?? ""))
                continue
            }
            try section(label, a.output)
        }
        html += "</div>"
        let still = try composite(
            [("input", "", x)] + activations.map { ($0.name, $0.typeName, $0.output) }, maxMaps: maxMaps)
        return MIMEBundle(
            data: [
                "text/html": html, "text/plain": text.joined(separator: "\n"),
                "image/png": try still.image.png().base64EncodedString(),
            ],
            metadata: ["image/png": ["width": still.image.width, "height": still.image.height]])
    }

    /// One layer's maps (image 0) as a figure: its name and shape over the maps, the legend under them.
    public static func figure(_ name: String, _ t: Tensor, maxMaps: Int) throws -> String {
        try Cancellation.check()
        let first = try firstImage(t)
        guard first.count > 0 else { return "" }
        var o = ImageOptions()
        o.maxMaps = maxMaps
        o.minTile = 56
        o.maxPixels = 200_000
        o.rgb = false
        let r = try TensorImage.render(first, o)
        let caption = "\(escapeHTML(name)) — \(shapeString(t.shape))" + (r.note.map { " (\($0))" } ?? "")
        let alt = name + " " + TensorImage.describe(r, shape: t.shape)
        return "<figure style=\"display: inline-block; margin: 4px 12px 8px 0; vertical-align: top\">"
            + "<figcaption>\(caption)</figcaption>" + (try TensorImage.imgTag(r, alt: alt))
            + Legend.html(lo: r.lo, hi: r.hi, colormap: r.colormap, width: Swift.min(r.image.width, 240))
            + "</figure>"
    }

    /// A classifier's last row: each class's name over its score, coloured on the row's scale, the highest
    /// outlined.
    static func scoreRow(label: String, shape: [Int], scores: [Double], classes: [String]) -> String {
        let finite = scores.filter(\.isFinite)
        let (lo, hi) = (finite.min() ?? 0, finite.max() ?? 1)
        let cmap: Colormap = lo < 0 && hi > 0 ? .diverging : .viridis
        let (a, b) = cmap == .diverging ? (-Swift.max(-lo, hi), Swift.max(-lo, hi)) : (lo, hi)
        let best = scores.indices.max { scores[$0] < scores[$1] }
        var s = "<figure class=\"stride-scores\" style=\"display: block; margin: 4px 0 8px 0\">"
        s += "<figcaption>\(escapeHTML(label)) — \(shapeString(shape)), one score per class</figcaption>"
        s += "<table style=\"border-collapse: collapse; font-size: 11px\"><tr>"
        for c in classes { s += "<th style=\"padding: 2px 6px; text-align: center\">\(escapeHTML(c))</th>" }
        s += "</tr><tr>"
        for (i, v) in scores.enumerated() {
            let t = b > a ? (v - a) / (b - a) : 0.5
            let (r, g, bl) = cmap.color(t)
            let dark = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(bl) < 128
            let edge = i == best ? "; outline: 2px solid #ff2d95" : ""
            s += "<td style=\"padding: 2px 6px; text-align: center; background: rgb(\(r),\(g),\(bl)); "
            s += "color: \(dark ? "#fff" : "#000")\(edge)\">\(Legend.number(v))</td>"
        }
        return s + "</tr></table></figure>"
    }

    /// Image 0 of a batch (row 0 of a matrix), as `show(model, x)` draws each layer.
    static func firstImage(_ t: Tensor) throws -> Tensor {
        t.ndim == 4
            ? try t.index([.index(0)]) : (t.ndim == 2 ? try t.index([.slice(start: 0, stop: 1, step: 1)]) : t)
    }

    /// Every layer's maps in one picture, one row of maps per layer, top to bottom, separated by a grey rule:
    /// the `image/png` that front ends without HTML (PDF, Markdown, GitHub's notebook view) show.
    public static func composite(
        _ layers: [(name: String, typeName: String, output: Tensor)], maxMaps: Int = 16
    ) throws -> (image: RGBImage, rows: Int) {
        var opt = ImageOptions()
        opt.maxMaps = maxMaps
        opt.minTile = 40
        opt.maxPixels = 120_000
        opt.rgb = false
        var tiles: [RGBImage] = []
        for l in layers where l.output.count > 0 {
            try Cancellation.check()
            tiles.append(try TensorImage.render(try firstImage(l.output), opt).image)
        }
        let gap = 10
        let width = tiles.map(\.width).max() ?? 1
        let height = Swift.max(1, tiles.reduce(0) { $0 + $1.height } + gap * Swift.max(0, tiles.count - 1))
        var img = RGBImage(width: width, height: height)
        var y = 0
        for (k, t) in tiles.enumerated() {
            if k > 0 {
                for x in 0..<width { img[x, y - gap / 2] = (200, 200, 200) }
            }
            img.blit(t, x: 0, y: y)
            y += t.height + gap
        }
        return (img, tiles.count)
    }
}
