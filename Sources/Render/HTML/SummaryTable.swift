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

    /// Each row's tree guides (`├─ `, `│  ├─ `, `└─ `): the model's tree drawn as a file tree is.
    var treePrefixes: [String] {
        // a row is its parent's last child when no later row at its depth comes before one shallower
        var last = [Bool](repeating: true, count: rows.count)
        for i in rows.indices {
            for j in (i + 1)..<Swift.max(i + 1, rows.count) {
                if rows[j].depth < rows[i].depth { break }
                if rows[j].depth == rows[i].depth {
                    last[i] = false
                    break
                }
            }
        }
        var open: [Bool] = []  // per depth: whether the ancestor at that depth has siblings still to come
        return rows.indices.map { i in
            let d = rows[i].depth
            guard d > 0 else { return "" }
            open = Array(open.prefix(d - 1))
            while open.count < d - 1 { open.append(false) }
            let guides = open.map { $0 ? "│  " : "   " }.joined()
            open.append(!last[i])
            return guides + (last[i] ? "└─ " : "├─ ")
        }
    }

    public var text: String {
        let header = ("Layer (type)", "Output shape", "Param #", "Trainable")
        let prefixes = treePrefixes
        let body = rows.enumerated().map { i, r in
            (
                prefixes[i] + (r.name.isEmpty ? r.type : "\(r.name): \(r.type)"),
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

    /// The table with every cell's alignment stated (front ends' table styles right-align cells): names left,
    /// with the tree's guides in a monospaced, unwrapped column; shapes left; counts right, under headers
    /// aligned as their columns.
    public var html: String {
        let cell = "padding: 1px 10px; white-space: pre; vertical-align: top"
        let columns = [
            ("Layer (type)", "left"), ("Output shape", "left"), ("Param #", "right"), ("Trainable", "right"),
        ]
        var s =
            "<table class=\"stride-summary\" style=\"border-collapse: collapse; font-family: monospace; "
            + "font-size: 12px\"><thead><tr>"
        for (h, align) in columns {
            s += "<th style=\"border-bottom: 2px solid #444; \(cell); text-align: \(align)\">\(h)</th>"
        }
        s += "</tr></thead><tbody>"
        let prefixes = treePrefixes
        for (i, r) in rows.enumerated() {
            let name = r.name.isEmpty ? escapeHTML(r.type) : "\(escapeHTML(r.name)): \(escapeHTML(r.type))"
            let guide = prefixes[i].isEmpty ? "" : "<span style=\"color: #999\">\(prefixes[i])</span>"
            s += "<tr data-depth=\"\(r.depth)\"><td class=\"stride-summary-name\" style=\"\(cell); text-align: left\">"
            s += "\(guide)\(name)</td>"
            s += "<td style=\"\(cell); text-align: left\">\(r.outputShape.map(shapeString) ?? "--")</td>"
            s += "<td style=\"\(cell); text-align: right\">\(Self.grouped(r.params))</td>"
            s += "<td style=\"\(cell); text-align: right\">\(Self.grouped(r.trainable))</td></tr>"
        }
        s +=
            "</tbody><tfoot><tr><td colspan=\"4\" style=\"border-top: 2px solid #444; padding: 2px 10px; "
            + "text-align: left\">Total params: \(Self.grouped(totalParams)) · trainable: "
            + "\(Self.grouped(trainableParams)) · params \(String(format: "%.2f", paramMB)) MB"
        if input != nil { s += " · activations \(String(format: "%.2f", actMB)) MB" }
        return s + "</td></tr></tfoot></table>"
    }
}
