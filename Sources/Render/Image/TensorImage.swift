public import CNN
import Foundation

/// Options for drawing a tensor as an image.
public struct ImageOptions: Sendable {
    public var colormap: Colormap? = nil  // nil: diverging for signed data, else viridis
    public var sharedScale = true  // one value range for all maps, or per map
    public var maxMaps = 64  // maps beyond are left out (with a note)
    public var minTile = 48  // small maps are upscaled (nearest) to at least this
    public var maxPixels = 560_000  // the whole picture (gaps and bar included) stays under 2 MB raw
    public var rgb: Bool? = nil  // draw 3-channel filters as RGB (nil: when C == 3 and 4-D)
    public var colorBar = true
    /// Small results (a 10×10 confusion matrix, a few logits) are upscaled to at least this many pixels wide.
    public var minWidth = 160
    public init() {}
}

/// What was drawn: picture plus the facts a caption needs.
public struct RenderedTensor: Sendable {
    public var image: RGBImage
    public var maps: Int, shown: Int
    public var lo: Double, hi: Double
    public var colormap: Colormap
    /// Whether the tiles are colour images (each scaled to its own range, no colour bar).
    public var rgb: Bool = false
    /// Maps larger than the picture's limit are drawn from every `step`-th row and column.
    public var step = 1
    public var note: String? {
        var parts: [String] = []
        if shown < maps { parts.append("showing the first \(shown) of \(maps) maps") }
        if step > 1 { parts.append("drawn at 1/\(step) scale") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

public enum TensorImage {
    /// Draws a 2-D heat map, C×H×W as a grid of C maps, N×C×H×W as N rows of C maps
    /// (or N RGB tiles when C == 3), with a colour bar underneath.
    public static func render(_ t0: Tensor, _ opt: ImageOptions = ImageOptions()) throws -> RenderedTensor {
        guard t0.count > 0 else {
            throw CNNError.value("show: nothing to draw: the tensor has no elements (shape \(shapeString(t0.shape)))")
        }
        // the pixels are read from a contiguous floating copy starting at element 0
        let t = try withNoGrad {
            let f = try t0.detach().floating()
            return f.isContiguous && f.offset == 0 ? f : try f.clone()
        }
        var layout = try TensorLayout(t, opt)
        let (lo, hi, cmap) = valueRange(t, layout, opt)
        layout.widen(toAtLeast: opt.minWidth, maxPixels: opt.maxPixels)
        var img = RGBImage(width: layout.width, height: layout.height(colorBar: opt.colorBar), fill: (255, 255, 255))
        try paintTiles(t, layout, into: &img, lo: lo, hi: hi, colormap: cmap, sharedScale: opt.sharedScale)
        if opt.colorBar && !layout.rgb { paintColorBar(into: &img, height: layout.barHeight, colormap: cmap) }
        return RenderedTensor(
            image: img, maps: layout.maps.count, shown: layout.shown, lo: lo, hi: hi, colormap: cmap,
            rgb: layout.rgb, step: layout.step)
    }

    /// The value range of the maps drawn (finite values only) and the colour map: diverging and symmetric about
    /// zero for signed data unless a colour map is given.
    static func valueRange(_ t: Tensor, _ layout: TensorLayout, _ opt: ImageOptions) -> (Double, Double, Colormap) {
        let vals = t.storage
        let last = layout.shown > 0 ? layout.maps[layout.shown - 1] : (offset: 0, channels: 0)
        let n = Swift.min(
            layout.shown > 0 ? last.offset + last.channels * layout.sourceH * layout.sourceW : 0, layout.valid,
            t.count)
        var lo = Double.infinity, hi = -Double.infinity
        for i in 0..<n {
            let v = vals.get(i)
            if v.isFinite {
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
        }
        if !lo.isFinite { (lo, hi) = (0, 1) }
        let cmap = opt.colormap ?? ((lo < 0 && hi > 0) ? .diverging : .viridis)
        if cmap == .diverging {
            let m = Swift.max(Swift.abs(lo), Swift.abs(hi))
            (lo, hi) = (-m, m)
        }
        return (lo, hi, cmap)
    }

    /// Paints every shown map into its tile: through a 257-entry lookup table for one-channel maps (odd, so 0.5,
    /// zero on the diverging map, is an entry), each channel scaled to the tile's own range for RGB tiles.
    static func paintTiles(
        _ t: Tensor, _ l: TensorLayout, into img: inout RGBImage, lo: Double, hi: Double, colormap cmap: Colormap,
        sharedScale: Bool
    ) throws {
        let vals = t.storage
        let lut: [(UInt8, UInt8, UInt8)] = (0...256).map { cmap.color(Double($0) / 256) }
        let nan = cmap.color(.nan)
        let (imgW, sH, sW, H, W, scale, step) = (img.width, l.sourceH, l.sourceW, l.tileH, l.tileW, l.scale, l.step)
        try img.pixels.withUnsafeMutableBufferPointer { pix in
            for m in 0..<l.shown {
                try Cancellation.check()
                let (off, ch) = l.maps[m]
                var mlo = lo, mhi = hi
                if !sharedScale || ch == 3 {
                    (mlo, mhi) = (.infinity, -.infinity)
                    for i in 0..<Swift.min(ch * sH * sW, l.valid) {
                        let v = vals.get(off + i)
                        if v.isFinite {
                            mlo = Swift.min(mlo, v)
                            mhi = Swift.max(mhi, v)
                        }
                    }
                    if !mlo.isFinite { (mlo, mhi) = (0, 1) }
                    // a diverging map stays centred on 0, so white means 0 in every tile
                    if cmap == .diverging && ch != 3 {
                        let m = Swift.max(Swift.abs(mlo), Swift.abs(mhi), .leastNonzeroMagnitude)
                        (mlo, mhi) = (-m, m)
                    }
                }
                let span = mhi - mlo > 0 ? mhi - mlo : 1
                let k = 256 / span
                let ox = (m % l.cols) * (W * scale + l.gap), oy = (m / l.cols) * (H * scale + l.gap)
                for y in 0..<H {
                    let rowStart = 3 * ((oy + y * scale) * imgW + ox)
                    let srcRow = y * step * sW
                    for x in 0..<W where srcRow + x * step < l.valid {
                        let c: (UInt8, UInt8, UInt8)
                        if ch == 3 {
                            func b(_ q: Int) -> UInt8 {
                                let v = (vals.get(off + q * sH * sW + srcRow + x * step) - mlo) * 255 / span
                                return UInt8(Swift.min(255, Swift.max(0, v.rounded())))
                            }
                            c = (b(0), b(1), b(2))
                        } else {
                            let v = vals.get(off + srcRow + x * step)
                            c = v.isNaN ? nan : lut[Int(Swift.min(256, Swift.max(0, ((v - mlo) * k).rounded())))]
                        }
                        var o = rowStart + 3 * x * scale
                        for _ in 0..<scale {
                            (pix[o], pix[o + 1], pix[o + 2]) = c
                            o += 3
                        }
                    }
                    // repeat the first pixel row of this tile row `scale − 1` times
                    let rowBytes = 3 * W * scale
                    for dy in 1..<Swift.max(scale, 1) {
                        let dst = 3 * ((oy + y * scale + dy) * imgW + ox)
                        for q in 0..<rowBytes { pix[dst + q] = pix[rowStart + q] }
                    }
                }
            }
        }
    }

    /// The colour bar along the bottom `height` rows.
    static func paintColorBar(into img: inout RGBImage, height: Int, colormap cmap: Colormap) {
        let y0 = img.height - height
        for x in 0..<img.width {
            let c = cmap.color(Double(x) / Double(Swift.max(img.width - 1, 1)))
            for y in y0..<img.height { img[x, y] = c }
        }
    }

    /// Columns for a grid of `n` maps: a divisor of `n` (no empty slots) from √n up to a row eight times as
    /// wide as the grid is high (8 maps as 2×4, 7 as one row), else ⌈√n⌉ columns.
    static func gridColumns(_ n: Int) -> Int {
        guard n > 1 else { return 1 }
        let root = Int(Double(n).squareRoot().rounded(.up))
        for c in root...n where n % c == 0 && c <= 8 * (n / c) { return c }
        return root
    }

    /// `show(t)`'s bundle: PNG with width/height metadata and a text description.
    public static func bundle(
        _ t: Tensor, _ opt: ImageOptions = ImageOptions(), title: String? = nil
    ) throws -> MIMEBundle {
        let r = try render(t, opt)
        let png = try r.image.png().base64EncodedString()
        let desc = describe(r, title: title, shape: t.shape)
        var text = "<\(desc)>"
        if let n = r.note { text += " (\(n))" }
        // HTML: the picture with the colour bar's value range written under its ends (a row at least 160 pixels
        // wide, so the labels never run into each other beside a small picture)
        let legend =
            r.rgb
            ? "<div>RGB: each tile scaled to its own range</div>"
            : opt.sharedScale
                ? Legend.html(lo: r.lo, hi: r.hi, colormap: r.colormap, width: Swift.min(r.image.width, 320))
                : "<div>each map scaled to its own range"
                    + (r.colormap == .diverging ? ", white at 0" : "") + "</div>"
        let html =
            "<figure style=\"display: inline-block; margin: 0; font-family: sans-serif; font-size: 11px\">"
            + (try imgTag(r, alt: desc))
            + legend
            + "<figcaption>\(escapeHTML(title.map { $0 + " " } ?? ""))\(shapeString(t.shape))"
            + "\(r.note.map { " — " + $0 } ?? "")</figcaption></figure>"
        return MIMEBundle(
            data: ["image/png": png, "text/plain": text, "text/html": html],
            metadata: ["image/png": ["width": r.image.width, "height": r.image.height]])
    }

    static func fmt(_ v: Double) -> String { Legend.number(v) }

    /// What a picture shows, in words: its text form and its alternative text.
    public static func describe(_ r: RenderedTensor, title: String? = nil, shape: [Int]) -> String {
        let what =
            r.rgb
            ? "\(r.shown) RGB tile\(r.shown == 1 ? "" : "s"), each scaled to its own range"
            : "\(r.shown) map\(r.shown == 1 ? "" : "s"), \(r.colormap.rawValue), range [\(fmt(r.lo)), \(fmt(r.hi))]"
        return "image \(title.map { $0 + " " } ?? "")\(shapeString(shape)): \(what)"
    }

    /// An `<img>` tag with the PNG inline and `alt` as its alternative text.
    public static func imgTag(_ r: RenderedTensor, alt: String) throws -> String {
        "<img src=\"data:image/png;base64,\(try r.image.png().base64EncodedString())\" "
            + "width=\"\(r.image.width)\" height=\"\(r.image.height)\" alt=\"\(escapeHTML(alt))\" "
            + "style=\"image-rendering: pixelated\"/>"
    }
}
