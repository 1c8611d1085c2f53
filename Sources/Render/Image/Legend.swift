import Foundation

/// The one legend every picture of values carries (`show`, `show(model, x)`, `explore`): a colour bar with
/// the minimum under its left end, 0 under its middle when the scale is diverging (centred on 0), and the
/// maximum under its right end, each to three significant digits (`Legend.number`, which the explorer's
/// script repeats).
public enum Legend {
    /// Three significant digits, trailing zeros dropped (`1.74`, `0.961`, `1230`, `-0.5`); exponent form below
    /// 1e-4 and from 1e6 (`1.5e-5`), as JavaScript's `Number(v.toPrecision(3))` and `toExponential(2)` give.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "Infinity" : "-Infinity") }
        if v == 0 { return "0" }
        let a = Swift.abs(v)
        if a < 1e-4 || a >= 1e6 {
            var e = Int(Foundation.floor(Foundation.log10(a)))
            var m = (v / Foundation.pow(10, Double(e)) * 100).rounded() / 100
            if Swift.abs(m) >= 10 {
                m /= 10
                e += 1
            }
            return trimmed(String(format: "%.2f", m)) + "e" + (e < 0 ? "-" : "+") + String(Swift.abs(e))
        }
        let d = Int(Foundation.floor(Foundation.log10(a)))
        if d >= 2 {
            let unit = Foundation.pow(10, Double(d - 2))
            return String(format: "%.0f", (v / unit).rounded() * unit)
        }
        return trimmed(String(format: "%.\(2 - d)f", v))
    }

    private static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }

    /// The colour bar and its labels as HTML, `width` pixels wide (at least 120).
    public static func html(lo: Double, hi: Double, colormap: Colormap, width: Int) -> String {
        let stops = (0...10).map { k in "\(colormap.css(Double(k) / 10)) \(k * 10)%" }.joined(separator: ", ")
        let w = Swift.max(width, 120)
        let zero = colormap == .diverging ? "<span>0</span>" : ""
        return "<div class=\"stride-legend\" style=\"width: \(w)px; font-size: 11px; font-family: sans-serif\">"
            + "<div style=\"height: 8px; background: linear-gradient(to right, \(stops))\"></div>"
            + "<div style=\"display: flex; justify-content: space-between\"><span>\(number(lo))</span>\(zero)"
            + "<span>\(number(hi))</span></div></div>"
    }
}
