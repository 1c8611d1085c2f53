public import CNN
import Foundation

/// A row of images, each with its own caption under it (`show(images, captions: …)`): predictions beside the
/// pictures they are about. Each image is drawn as `show` draws one (RGB when it has three channels), scaled up to
/// at least 96 pixels wide; the `image/png` fallback is the whole batch as one grid.
public enum CaptionedImages {
    /// `correct[i]`, when given, marks caption `i` as a right (green) or wrong (red, bold) prediction.
    public static func bundle(
        _ batch: Tensor, captions: [String], correct: [Bool]? = nil, _ opt: ImageOptions = ImageOptions()
    ) throws
        -> MIMEBundle
    {
        guard batch.ndim == 4 || batch.ndim == 3, let n = batch.shape.first, n == captions.count else {
            throw CNNError.shape(
                "captions: one caption per image; got \(captions.count) for a tensor of shape \(shapeString(batch.shape))"
            )
        }
        var figures: [String] = []
        for i in 0..<n {
            let image = try batch.index([.index(i)])
            var o = opt
            if image.ndim == 3 && image.shape[0] == 3 && o.rgb == nil { o.rgb = true }
            let r = try TensorImage.render(image.ndim == 3 && o.rgb == true ? image.unsqueezed(0) : image, o)
            let scale = Swift.max(1, 96 / Swift.max(r.image.width, 1))
            let png = try r.image.png().base64EncodedString()
            var captionStyle = "font-family: sans-serif; font-size: 12px"
            if let correct, i < correct.count {
                captionStyle += correct[i] ? "; color: #1a7f37" : "; color: #cf222e; font-weight: bold"
            }
            let mark = correct.map { i < $0.count ? " data-correct=\"\($0[i])\"" : "" } ?? ""
            figures.append(
                "<figure style=\"display: inline-block; margin: 0 10px 8px 0; text-align: center; vertical-align: top\">"
                    + "<img src=\"data:image/png;base64,\(png)\" width=\"\(r.image.width * scale)\" "
                    + "height=\"\(r.image.height * scale)\" style=\"image-rendering: pixelated\" "
                    + "alt=\"\(escapeHTML(captions[i]))\"/>"
                    + "<figcaption style=\"\(captionStyle)\"\(mark)>\(escapeHTML(captions[i]))"
                    + "</figcaption></figure>")
        }
        let grid = try TensorImage.render(batch, opt)
        let text = (0..<n).map { i in
            let wrong = correct.map { i < $0.count && !$0[i] } ?? false
            return "[\(i)] \(captions[i])" + (wrong ? "  ✗" : "")
        }.joined(separator: "\n")
        return MIMEBundle(
            data: [
                "text/html": "<div class=\"stride-captioned\">" + figures.joined() + "</div>",
                "image/png": try grid.image.png().base64EncodedString(),
                "text/plain": "<\(n) images of \(shapeString(Array(batch.shape.dropFirst())))>\n" + text,
            ],
            metadata: ["image/png": ["width": grid.image.width, "height": grid.image.height]])
    }
}
