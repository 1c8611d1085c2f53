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
        var maps: [(Int, Int)] = []  // (offset, channels-in-tile: 1 or 3)
        var H = 1, W = 1, cols = 1
        // cells of a map past `valid` are left blank (the tail of a vector wrapped into rows)
        var valid = Int.max
        let rgb: Bool
        switch t.ndim {
        case 0, 1,
            2 where t.ndim < 2 || t.shape[0] == 1:
            // a vector (or a 1×F row, as after Flatten or Linear) is wrapped into rows about twice as wide as
            // high, so it reads as a strip of cells rather than a one-pixel line
            let n = t.count
            W = n <= 16 ? Swift.max(n, 1) : Int(Double(2 * n).squareRoot().rounded(.up))
            H = Swift.max(1, (n + W - 1) / W)
            valid = n
            maps = [(0, 1)]; rgb = false
        case 2:
            H = t.shape[0]; W = t.shape[1]; maps = [(0, 1)]; rgb = false
        case 3:
            H = t.shape[1]; W = t.shape[2]; rgb = false
            maps = (0..<t.shape[0]).map { ($0 * H * W, 1) }
            cols = gridColumns(maps.count)
        case 4:
            H = t.shape[2]; W = t.shape[3]
            rgb = opt.rgb ?? (t.shape[1] == 3)
            if t.shape[1] == 1 && !rgb {
                maps = (0..<t.shape[0]).map { ($0 * H * W, 1) }
                cols = gridColumns(maps.count)
            } else if rgb {
                maps = (0..<t.shape[0]).map { ($0 * 3 * H * W, 3) }
                cols = gridColumns(maps.count)
            } else {
                maps = (0..<(t.shape[0] * t.shape[1])).map { ($0 * H * W, 1) }
                cols = t.shape[1]
            }
        default:
            throw CNNError.shape("show draws tensors of 1 to 4 dimensions, got shape \(shapeString(t.shape))")
        }
        let total = maps.count
        // bound the count and the picture size
        var shown = Swift.min(total, opt.maxMaps)
        if H * W * shown > opt.maxPixels { shown = Swift.max(1, opt.maxPixels / Swift.max(H * W, 1)) }
        cols = Swift.max(1, Swift.min(cols, shown))
        let rows = (shown + cols - 1) / cols
        // values are read from maps of sH×sW; a map larger than the picture's limit is drawn from every
        // `step`-th row and column (a 2048×2048 map would otherwise be a 12 MB picture)
        let (sH, sW) = (H, W)
        let step =
            H * W > opt.maxPixels ? Int((Double(H * W) / Double(opt.maxPixels)).squareRoot().rounded(.up)) : 1
        H = (sH + step - 1) / step
        W = (sW + step - 1) / step
        let side = Swift.max(Swift.min(H, W), 1)
        var scale = Swift.max(
            1,
            Swift.min(
                (opt.minTile + side - 1) / side,
                Int((Double(opt.maxPixels) / Double(Swift.max(H * W * shown, 1))).squareRoot())))
        if valid != Int.max {
            // cells of a vector at least 8 pixels square, as the size limit allows
            let cap = Int((Double(opt.maxPixels) / Double(Swift.max(H * W, 1))).squareRoot())
            scale = Swift.max(scale, Swift.min(8, Swift.max(cap, 1)))
        }
        let vals = t.storage
        let n = Swift.min(shown > 0 ? (maps[shown - 1].0 + maps[shown - 1].1 * sH * sW) : 0, valid, t.count)
        var lo = Double.infinity, hi = -Double.infinity
        for i in 0..<n { let v = vals.get(i); if v.isFinite { lo = Swift.min(lo, v); hi = Swift.max(hi, v) } }
        if !lo.isFinite { lo = 0; hi = 1 }
        let cmap = opt.colormap ?? ((lo < 0 && hi > 0) ? .diverging : .viridis)
        if cmap == .diverging { let m = Swift.max(Swift.abs(lo), Swift.abs(hi)); lo = -m; hi = m }
        // small results (a 10×10 confusion matrix, a few logits) are drawn at least 160 pixels wide
        let minWidth = opt.minWidth
        if cols * W * scale < minWidth {
            let cap = Int((Double(opt.maxPixels) / Double(Swift.max(H * W * shown, 1))).squareRoot())
            scale = Swift.max(scale, Swift.min((minWidth + cols * W - 1) / (cols * W), Swift.max(cap, 1)))
        }
        let gap = shown > 1 ? Swift.max(2, scale) : 0
        let tileW = W * scale, tileH = H * scale
        // RGB tiles are each scaled to their own range: no colour bar describes them
        let barH = opt.colorBar && !rgb ? Swift.max(6, Swift.min(12, tileH / 6)) : 0
        let imgW = Swift.max(cols * tileW + (cols - 1) * gap, 1)
        let imgH = rows * tileH + (rows - 1) * gap + (barH > 0 ? barH + gap + 2 : 0)
        var img = RGBImage(width: imgW, height: imgH, fill: (255, 255, 255))
        // a 257-entry lookup table (odd, so 0.5 — zero on the diverging map — is an entry)
        let lut: [(UInt8, UInt8, UInt8)] = (0...256).map { cmap.color(Double($0) / 256) }
        let nan = cmap.color(.nan)
        let imgW0 = img.width
        try img.pixels.withUnsafeMutableBufferPointer { pix in
            for m in 0..<shown {
                try Cancellation.check()
                let (off, ch) = maps[m]
                var mlo = lo, mhi = hi
                if !opt.sharedScale || ch == 3 {
                    mlo = .infinity; mhi = -.infinity
                    for i in 0..<Swift.min(ch * sH * sW, valid) {
                        let v = vals.get(off + i); if v.isFinite { mlo = Swift.min(mlo, v); mhi = Swift.max(mhi, v) }
                    }
                    if !mlo.isFinite { mlo = 0; mhi = 1 }
                }
                let span = mhi - mlo > 0 ? mhi - mlo : 1
                let k = 256 / span
                let ox = (m % cols) * (tileW + gap), oy = (m / cols) * (tileH + gap)
                for y in 0..<H {
                    let rowStart = 3 * ((oy + y * scale) * imgW0 + ox)
                    let srcRow = y * step * sW
                    for x in 0..<W where srcRow + x * step < valid {
                        let c: (UInt8, UInt8, UInt8)
                        if ch == 3 {
                            func b(_ q: Int) -> UInt8 {
                                UInt8(
                                    Swift.min(
                                        255,
                                        Swift.max(
                                            0,
                                            ((vals.get(off + q * sH * sW + srcRow + x * step) - mlo) * 255 / span)
                                                .rounded())))
                            }
                            c = (b(0), b(1), b(2))
                        } else {
                            let v = vals.get(off + srcRow + x * step)
                            c = v.isNaN ? nan : lut[Int(Swift.min(256, Swift.max(0, ((v - mlo) * k).rounded())))]
                        }
                        var o = rowStart + 3 * x * scale
                        for _ in 0..<scale { pix[o] = c.0; pix[o + 1] = c.1; pix[o + 2] = c.2; o += 3 }
                    }
                    // repeat the first pixel row of this tile row `scale − 1` times
                    let rowBytes = 3 * W * scale
                    for dy in 1..<Swift.max(scale, 1) {
                        let dst = 3 * ((oy + y * scale + dy) * imgW0 + ox)
                        for q in 0..<rowBytes { pix[dst + q] = pix[rowStart + q] }
                    }
                }
            }
        }
        if barH > 0 {
            let y0 = imgH - barH
            for x in 0..<imgW {
                let c = cmap.color(Double(x) / Double(Swift.max(imgW - 1, 1)))
                for y in y0..<imgH { img[x, y] = c }
            }
        }
        return RenderedTensor(
            image: img, maps: total, shown: shown, lo: lo, hi: hi, colormap: cmap, rgb: rgb, step: step)
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
        let png = PNGEncoder.encode(r.image).base64EncodedString()
        let desc = describe(r, title: title, shape: t.shape)
        var text = "<\(desc)>"
        if let n = r.note { text += " (\(n))" }
        // HTML: the picture with the colour bar's value range written under its ends (a row at least 160 pixels
        // wide, so the labels never run into each other beside a small picture)
        let legend =
            r.rgb
            ? "<div>RGB: each tile scaled to its own range</div>"
            : "<div style=\"display: flex; justify-content: space-between; gap: 8px; "
                + "width: \(Swift.max(r.image.width, 160))px\"><span>\(fmt(r.lo))</span>"
                + "<span>\(r.colormap.rawValue)</span><span>\(fmt(r.hi))</span></div>"
        let html =
            "<figure style=\"display: inline-block; margin: 0; font-family: sans-serif; font-size: 11px\">"
            + imgTag(r, alt: desc)
            + legend
            + "<figcaption>\(escapeHTML(title.map { $0 + " " } ?? ""))\(shapeString(t.shape))"
            + "\(r.note.map { " — " + $0 } ?? "")</figcaption></figure>"
        return MIMEBundle(
            data: ["image/png": png, "text/plain": text, "text/html": html],
            metadata: ["image/png": ["width": r.image.width, "height": r.image.height]])
    }

    static func fmt(_ v: Double) -> String {
        String(format: Swift.abs(v) >= 1000 || (Swift.abs(v) < 0.01 && v != 0) ? "%.3g" : "%.3f", v)
    }

    /// What a picture shows, in words: its text form and its alternative text.
    public static func describe(_ r: RenderedTensor, title: String? = nil, shape: [Int]) -> String {
        let what =
            r.rgb
            ? "\(r.shown) RGB tile\(r.shown == 1 ? "" : "s"), each scaled to its own range"
            : "\(r.shown) map\(r.shown == 1 ? "" : "s"), \(r.colormap.rawValue), range [\(fmt(r.lo)), \(fmt(r.hi))]"
        return "image \(title.map { $0 + " " } ?? "")\(shapeString(shape)): \(what)"
    }

    /// An `<img>` tag with the PNG inline and `alt` as its alternative text.
    public static func imgTag(_ r: RenderedTensor, alt: String) -> String {
        "<img src=\"data:image/png;base64,\(PNGEncoder.encode(r.image).base64EncodedString())\" "
            + "width=\"\(r.image.width)\" height=\"\(r.image.height)\" alt=\"\(escapeHTML(alt))\" "
            + "style=\"image-rendering: pixelated\"/>"
    }
}
