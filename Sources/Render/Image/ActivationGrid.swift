public import CNN
import Foundation

/// `show(model, x)`: every layer's activation maps for one input, labelled with the layer name, output
/// shape and value range — the lecture's "activation maps" slides for any model. It draws what it is given
/// (`Layer.activations(for:)` runs the model).
public enum ActivationGrid {
    /// Draws the input and each activation (the first image of the batch).
    public static func bundle(input x: Tensor, activations: [LayerActivation], maxMaps: Int = 16) throws -> MIMEBundle {
        var html = "<div class=\"stride-activations\" style=\"font-family: sans-serif; font-size: 12px\">"
        var text = ["activation maps for input \(shapeString(x.shape)):"]
        var opt = ImageOptions()
        opt.maxMaps = maxMaps
        opt.minTile = 56
        opt.maxPixels = 200_000
        func section(_ name: String, _ t: Tensor) throws {
            try Cancellation.check()
            let first = try firstImage(t)
            var o = opt
            o.rgb = false
            guard first.count > 0 else {
                text.append("  \(name): \(shapeString(t.shape)) (empty)")
                return
            }
            let r = try TensorImage.render(first, o)
            let caption =
                "\(escapeHTML(name)) — \(shapeString(t.shape)), range [\(TensorImage.fmt(r.lo)), \(TensorImage.fmt(r.hi))]"
                + (r.note.map { " (\($0))" } ?? "")
            let alt = name + " " + TensorImage.describe(r, shape: t.shape)
            html +=
                "<figure style=\"display: inline-block; margin: 4px 12px 8px 0; vertical-align: top\">"
                + (try TensorImage.imgTag(r, alt: alt))
                + "<figcaption>\(caption)</figcaption></figure>"
            text.append("  \(name): \(shapeString(t.shape))")
        }
        try section("input", x)
        for a in activations { try section("\(a.name) \(a.typeName)", a.output) }
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
