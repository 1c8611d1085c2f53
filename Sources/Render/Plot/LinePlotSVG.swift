import Foundation

/// One series of a line chart.
public struct Series: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public init(name: String, x: [Double]? = nil, y: [Double]) {
        self.name = name; self.y = y; self.x = x ?? y.indices.map(Double.init)
    }
}

/// SVG line charts with axes, ticks, labels, a legend and an optional log scale.
public enum LinePlotSVG {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// "Nice" tick values covering lo…hi.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var t = (lo / step).rounded(.up) * step
        var out: [Double] = []
        while t <= hi + step * 1e-9 { out.append(t); t += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if Swift.abs(v) >= 1e4 || Swift.abs(v) < 1e-3 { return String(format: "%.1e", v) }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    /// The chart as an SVG document.
    public static func render(
        _ series: [Series], title: String? = nil, xlabel: String? = nil, ylabel: String? = nil,
        logY: Bool = false, width: Int = 480, height: Int = 300
    ) -> String {
        let ml = 60.0, mr = 16.0, mt = title == nil ? 14.0 : 30.0, mb = xlabel == nil ? 34.0 : 48.0
        let pw = Double(width) - ml - mr, ph = Double(height) - mt - mb
        func ty(_ v: Double) -> Double { logY ? (v > 0 ? Foundation.log10(v) : .nan) : v }
        let xs = series.flatMap { $0.x }.filter { $0.isFinite }
        let ys = series.flatMap { $0.y.map(ty) }.filter { $0.isFinite }
        var x0 = xs.min() ?? 0, x1 = xs.max() ?? 1, y0 = ys.min() ?? 0, y1 = ys.max() ?? 1
        if x1 == x0 { x0 -= 0.5; x1 += 0.5 }
        if y1 == y0 { y0 -= 0.5; y1 += 0.5 }
        let pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad
        func px(_ v: Double) -> Double { ml + (v - x0) / (x1 - x0) * pw }
        func py(_ v: Double) -> Double { mt + ph - (v - y0) / (y1 - y0) * ph }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">"
        // the alternative text: what is plotted, with each series' length and last value
        let summary = series.map { ser -> String in
            let last = ser.y.last.map { String(format: "%.4g", $0) } ?? "none"
            return "\(ser.name.isEmpty ? "a line" : ser.name) of \(ser.y.count) points ending at \(last)"
        }
        let alt = (title.map { $0 + ": " } ?? "line chart: ") + summary.joined(separator: "; ")
        s += "<title>\(escapeHTML(alt))</title>"
        s += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>"
        if let title {
            s +=
                "<text x=\"\(Double(width) / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(escapeHTML(title))</text>"
        }
        s +=
            "<g class=\"axes\" stroke=\"#444\" fill=\"none\"><line x1=\"\(ml)\" y1=\"\(mt + ph)\" x2=\"\(ml + pw)\" y2=\"\(mt + ph)\"/><line x1=\"\(ml)\" y1=\"\(mt)\" x2=\"\(ml)\" y2=\"\(mt + ph)\"/></g>"
        s += "<g class=\"ticks\">"
        for t in ticks(x0, x1) {
            s +=
                "<line x1=\"\(px(t))\" y1=\"\(mt + ph)\" x2=\"\(px(t))\" y2=\"\(mt + ph + 4)\" stroke=\"#444\"/><text x=\"\(px(t))\" y=\"\(mt + ph + 16)\" text-anchor=\"middle\">\(label(t))</text>"
        }
        for t in ticks(y0, y1) {
            let lab = logY ? label(Foundation.pow(10, t)) : label(t)
            s +=
                "<line x1=\"\(ml - 4)\" y1=\"\(py(t))\" x2=\"\(ml)\" y2=\"\(py(t))\" stroke=\"#444\"/><line x1=\"\(ml)\" y1=\"\(py(t))\" x2=\"\(ml + pw)\" y2=\"\(py(t))\" stroke=\"#eee\"/><text x=\"\(ml - 6)\" y=\"\(py(t) + 4)\" text-anchor=\"end\">\(lab)</text>"
        }
        s += "</g>"
        if let xlabel {
            s +=
                "<text x=\"\(ml + pw / 2)\" y=\"\(Double(height) - 8)\" text-anchor=\"middle\">\(escapeHTML(xlabel))</text>"
        }
        if let ylabel {
            s +=
                "<text x=\"14\" y=\"\(mt + ph / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(mt + ph / 2))\">\(escapeHTML(ylabel))</text>"
        }
        for (k, se) in series.enumerated() {
            let pts = zip(se.x, se.y.map(ty)).filter { $0.0.isFinite && $0.1.isFinite }
                .map { String(format: "%.2f,%.2f", px($0.0), py($0.1)) }
            let color = palette[k % palette.count]
            s +=
                "<polyline class=\"series\" data-name=\"\(escapeHTML(se.name))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(pts.joined(separator: " "))\"/>"
        }
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            s += "<g class=\"legend\">"
            for (k, se) in series.enumerated() {
                let y = mt + 8 + Double(k) * 16
                s +=
                    "<line x1=\"\(ml + pw - 110)\" y1=\"\(y)\" x2=\"\(ml + pw - 92)\" y2=\"\(y)\" stroke=\"\(palette[k % palette.count])\" stroke-width=\"2\"/><text x=\"\(ml + pw - 88)\" y=\"\(y + 4)\">\(escapeHTML(se.name))</text>"
            }
            s += "</g>"
        }
        return s + "</svg>"
    }
}
