public import CNN
import Foundation

/// Drawing a `ModelSummary` (computed by the runtime) as text and HTML.
extension ModelSummary {
    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() { if i > 0 && i % 3 == 0 { out.append(",") }; out.append(c) }
        return String(out.reversed())
    }
    var paramMB: Double { Double(totalParams * 4) / 1e6 }
    var actMB: Double { Double(activationBytes) / 1e6 }

    public var text: String {
        let header = ("Layer (type)", "Output shape", "Param #", "Trainable")
        let body = rows.map { r in
            (
                String(repeating: "  ", count: r.depth) + (r.name.isEmpty ? r.type : "\(r.name): \(r.type)"),
                r.outputShape.map(shapeString) ?? "--", Self.grouped(r.params), Self.grouped(r.trainable)
            )
        }
        let w0 = ([header.0] + body.map { $0.0 }).map { $0.count }.max() ?? 10
        let w1 = ([header.1] + body.map { $0.1 }).map { $0.count }.max() ?? 10
        let w2 = ([header.2] + body.map { $0.2 }).map { $0.count }.max() ?? 8
        let w3 = ([header.3] + body.map { $0.3 }).map { $0.count }.max() ?? 8
        func line(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
            a.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
                + b.padding(toLength: w1, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: w2 - c.count) + c + "  " + String(repeating: " ", count: w3 - d.count)
                + d
        }
        let rule = String(repeating: "=", count: w0 + w1 + w2 + w3 + 6)
        var out = [rule, line(header.0, header.1, header.2, header.3), rule]
        out += body.map { line($0.0, $0.1, $0.2, $0.3) }
        out += [
            rule, "Total params: \(Self.grouped(totalParams))", "Trainable params: \(Self.grouped(trainableParams))",
            "Non-trainable params: \(Self.grouped(totalParams - trainableParams))",
            String(format: "Params size (MB): %.2f", paramMB),
        ]
        if input != nil { out.append(String(format: "Activations size (MB): %.2f", actMB)) }
        out.append(rule)
        return out.joined(separator: "\n")
    }

    public var html: String {
        var s =
            "<table class=\"stride-summary\" style=\"border-collapse: collapse; font-family: monospace; font-size: 12px\"><thead><tr>"
        for h in ["Layer (type)", "Output shape", "Param #", "Trainable"] {
            s += "<th style=\"border-bottom: 2px solid #444; padding: 2px 10px; text-align: left\">\(h)</th>"
        }
        s += "</tr></thead><tbody>"
        for r in rows {
            let name = r.name.isEmpty ? r.type : "\(escapeHTML(r.name)): \(r.type)"
            s +=
                "<tr><td style=\"padding: 1px 10px 1px \(10 + 16 * r.depth)px\">\(name)</td><td style=\"padding: 1px 10px\">\(r.outputShape.map(shapeString) ?? "--")</td><td style=\"padding: 1px 10px; text-align: right\">\(Self.grouped(r.params))</td><td style=\"padding: 1px 10px; text-align: right\">\(Self.grouped(r.trainable))</td></tr>"
        }
        s +=
            "</tbody><tfoot><tr><td colspan=\"4\" style=\"border-top: 2px solid #444; padding: 2px 10px\">Total params: \(Self.grouped(totalParams)) · trainable: \(Self.grouped(trainableParams)) · params \(String(format: "%.2f", paramMB)) MB"
        if input != nil { s += " · activations \(String(format: "%.2f", actMB)) MB" }
        return s + "</td></tr></tfoot></table>"
    }
}
