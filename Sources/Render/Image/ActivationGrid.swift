public import CNN

/// `show(model, x)`: every layer's activation maps for one input, labelled with the layer
/// name, output shape and value range — the lecture's "activation maps" slides for any model.
public enum ActivationGrid {
    /// Layers in forward order with their dotted names (containers expanded).
    public static func leaves(_ model: any Layer, prefix: String = "") -> [(String, any Layer)] {
        let kids = model.children
        if kids.isEmpty || model is Residual || model is Concat || model is SqueezeExcite || model is Maxout { return [(prefix.isEmpty ? model.typeName : prefix, model)] }
        return kids.flatMap { (n, c) in leaves(c, prefix: prefix.isEmpty ? n : "\(prefix).\(n)") }
    }

    /// Runs `x` through `model` (no graph) and draws the first image of the batch per layer.
    public static func bundle(model: any Layer, input x: Tensor, maxMaps: Int = 16) throws -> MIMEBundle {
        _ = try withNoGrad { try model(x) }
        var html = "<div class=\"stride-activations\" style=\"font-family: sans-serif; font-size: 12px\">"
        var text = ["activation maps for input \(shapeString(x.shape)):"]
        var opt = ImageOptions(); opt.maxMaps = maxMaps; opt.minTile = 56; opt.maxPixels = 200_000
        func section(_ name: String, _ t: Tensor) throws {
            let first = t.ndim == 4 ? try t.index([.index(0)]) : (t.ndim == 2 ? try t.index([.slice(start: 0, stop: 1, step: 1)]) : t)
            var o = opt; o.rgb = false
            let r = try TensorImage.render(first.ndim == 3 ? first : first, o)
            let caption = "\(escapeHTML(name)) — \(shapeString(t.shape)), range [\(TensorImage.fmt(r.lo)), \(TensorImage.fmt(r.hi))]\(r.note.map { " (\($0))" } ?? "")"
            html += "<figure style=\"display: inline-block; margin: 4px 12px 8px 0; vertical-align: top\">\(TensorImage.imgTag(r))<figcaption>\(caption)</figcaption></figure>"
            text.append("  \(name): \(shapeString(t.shape))")
        }
        try section("input", x)
        for (name, l) in leaves(model) {
            guard let out = l.output else { continue }
            try section("\(name) \(l.typeName)", out)
        }
        html += "</div>"
        return MIMEBundle(data: ["text/html": html, "text/plain": text.joined(separator: "\n")])
    }
}
