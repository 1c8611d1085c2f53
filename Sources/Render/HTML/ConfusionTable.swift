public import CNN
import Foundation

/// A confusion matrix drawn as a labelled heat map: "true \ predicted" axes, the class names, the counts in the
/// cells (coloured by their share of the row, so each class's mistakes stand out whatever its size), row
/// totals and per-class accuracy, and the overall accuracy under it; the same as aligned text.
public enum ConfusionTable {
    public static func bundle(_ cm: ConfusionMatrix) -> MIMEBundle {
        MIMEBundle(data: ["text/html": html(cm), "text/plain": text(cm)])
    }

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", 100 * $0) } ?? "--" }

    static func summaryLine(_ cm: ConfusionMatrix) -> String {
        "accuracy \(percent(cm.accuracy)) (\(cm.correct) of \(cm.total))"
    }

    public static func text(_ cm: ConfusionMatrix) -> String {
        let corner = "true \\ predicted"
        let names = cm.classes
        let first = ([corner] + names).map(\.count).max() ?? 0
        let widths = names.indices.map { j in
            Swift.max(names[j].count, cm.counts.map { String($0[j]).count }.max() ?? 1)
        }
        let totalW = Swift.max(5, cm.totals.map { String($0).count }.max() ?? 1)
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: Swift.max(0, w - s.count))
            return left ? s + fill : fill + s
        }
        var lines = ["confusion matrix (rows: true class, columns: predicted)"]
        lines.append(
            pad(corner, first, left: true) + "  "
                + names.indices.map { pad(names[$0], widths[$0]) }.joined(separator: "  ")
                + " │ " + pad("total", totalW) + "  accuracy")
        let perClass = cm.perClass
        for i in cm.counts.indices {
            lines.append(
                pad(names[i], first, left: true) + "  "
                    + cm.counts[i].indices.map { pad(String(cm.counts[i][$0]), widths[$0]) }.joined(separator: "  ")
                    + " │ " + pad(String(cm.totals[i]), totalW) + "  " + pad(percent(perClass[i]), 8))
        }
        lines.append(summaryLine(cm))
        return lines.joined(separator: "\n")
    }

    public static func html(_ cm: ConfusionMatrix) -> String {
        let cell = "padding: 3px 8px; text-align: right; font-variant-numeric: tabular-nums; border: 1px solid #fff"
        let head = "padding: 3px 8px; font-weight: bold; background: #f3f3f3; border: 1px solid #fff"
        var s = "<table class=\"stride-confusion\" style=\"border-collapse: collapse; font-family: sans-serif; "
        s += "font-size: 12px\"><caption style=\"caption-side: top; text-align: left; padding-bottom: 4px\">"
        s += "confusion matrix: rows are the true classes, columns the predictions; colour: share of the row"
        s += "</caption><thead><tr><th style=\"\(head); text-align: left\" class=\"stride-confusion-corner\">"
        s += "true \\ predicted</th>"
        for name in cm.classes {
            s += "<th style=\"\(head); text-align: right\" scope=\"col\">\(escapeHTML(name))</th>"
        }
        s += "<th style=\"\(head); text-align: right\" scope=\"col\">total</th>"
        s += "<th style=\"\(head); text-align: right\" scope=\"col\">accuracy</th></tr></thead><tbody>"
        let perClass = cm.perClass
        for (i, row) in cm.counts.enumerated() {
            s += "<tr><th style=\"\(head); text-align: left\" scope=\"row\">\(escapeHTML(cm.classes[i]))</th>"
            for (j, n) in row.enumerated() {
                let share = cm.totals[i] == 0 ? 0 : Double(n) / Double(cm.totals[i])
                // white to a deep blue (green on the diagonal), dark cells in white text
                let (r, g, b) = i == j ? (0.10, 0.45, 0.25) : (0.13, 0.30, 0.62)
                func mix(_ c: Double) -> Int { Int((255 * (1 - share * (1 - c))).rounded()) }
                let fg = share > 0.55 ? "#fff" : "#000"
                s += "<td style=\"\(cell); background: rgb(\(mix(r)),\(mix(g)),\(mix(b))); color: \(fg)\" "
                s += "data-true=\"\(i)\" data-predicted=\"\(j)\">\(n)</td>"
            }
            s += "<td style=\"\(cell); background: #f3f3f3\">\(cm.totals[i])</td>"
            s += "<td style=\"\(cell); background: #f3f3f3\">\(percent(perClass[i]))</td></tr>"
        }
        s += "</tbody><tfoot><tr><td colspan=\"\(cm.classes.count + 3)\" style=\"padding: 4px 8px; text-align: left\">"
        s += "\(summaryLine(cm))</td></tr></tfoot></table>"
        return s
    }
}
