public import CNN

/// Tensors as HTML: small 2-D/3-D/4-D tensors as per-channel tables (the lecture's
/// `x[:, :, 0]` panels), larger ones as a heat-map thumbnail with statistics.
public enum TensorHTML {
    public static let tableLimit = 400

    public static func render(_ t0: Tensor) throws -> String {
        let t = t0.isContiguous && t0.offset == 0 ? t0 : try withNoGrad { try t0.detach().clone() }
        let head =
            "<div class=\"stride-tensor\" style=\"font-family: monospace; font-size: 12px\"><div>Tensor \(shapeString(t.shape)) \(t.dtype)\(t.opName.map { ", grad_fn: \($0)" } ?? "")</div>"
        if t.count <= tableLimit && t.ndim >= 1 && t.ndim <= 4 {
            var s = head
            let H = t.ndim == 1 ? 1 : t.shape[t.ndim - 2], W = t.shape[t.ndim - 1]
            let panels = t.count / Swift.max(H * W, 1)
            let fmt = t.dtype == .int64 ? { String(Int64($0)) } : TensorFormatter.chooseFormat(t.values)
            for p in 0..<panels {
                var label = ""
                if t.ndim == 3 { label = "[\(p), :, :]" }
                if t.ndim == 4 { label = "[\(p / t.shape[1]), \(p % t.shape[1]), :, :]" }
                s += "<table style=\"display: inline-table; border-collapse: collapse; margin: 4px 10px 4px 0\">"
                if !label.isEmpty { s += "<caption style=\"text-align: left\">\(label)</caption>" }
                for y in 0..<H {
                    s += "<tr>"
                    for x in 0..<W {
                        s +=
                            "<td style=\"border: 1px solid #ccc; padding: 1px 5px; text-align: right\">\(fmt(t.storage.get(p * H * W + y * W + x)))</td>"
                    }
                    s += "</tr>"
                }
                s += "</table>"
            }
            return s + "</div>"
        }
        var s = head
        if t.count > 0 && t.ndim >= 2 {
            var o = ImageOptions(); o.maxMaps = 16; o.minTile = 32; o.maxPixels = 60_000
            let shown = t.ndim == 4 ? try t.index([.index(0)]) : t
            let r = try TensorImage.render(shown, o)
            s += try TensorImage.imgTag(r, alt: TensorImage.describe(r, shape: shown.shape))
        }
        let vals = t.values.filter { $0.isFinite }
        if !vals.isEmpty {
            let mean = vals.reduce(0, +) / Double(vals.count)
            let sd = (vals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(vals.count)).squareRoot()
            s +=
                "<div>min \(TensorImage.fmt(vals.min() ?? 0)) · max \(TensorImage.fmt(vals.max() ?? 0)) · mean \(TensorImage.fmt(mean)) · std \(TensorImage.fmt(sd))</div>"
        }
        return s + "</div>"
    }
}
