public import CNN

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
            let first =
                t.ndim == 4
                ? try t.index([.index(0)]) : (t.ndim == 2 ? try t.index([.slice(start: 0, stop: 1, step: 1)]) : t)
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
            html +=
                "<figure style=\"display: inline-block; margin: 4px 12px 8px 0; vertical-align: top\">\(TensorImage.imgTag(r))"
                + "<figcaption>\(caption)</figcaption></figure>"
            text.append("  \(name): \(shapeString(t.shape))")
        }
        try section("input", x)
        for a in activations { try section("\(a.name) \(a.typeName)", a.output) }
        html += "</div>"
        return MIMEBundle(data: ["text/html": html, "text/plain": text.joined(separator: "\n")])
    }
}
