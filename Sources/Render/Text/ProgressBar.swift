import Foundation

/// A progress bar's state: count, total, rate, time left; drawn as text or HTML.
public struct ProgressBar: Sendable {
    public var total: Int?
    public var done = 0
    public let start: Double
    public var label: String
    /// Why the loop ended before its last item ("stopped by ValueError"), when it did.
    public var stopped: String? = nil
    /// Whether it was stopped by an error (drawn in red).
    public var failed = false
    public init(total: Int?, label: String = "", now: Double) { self.total = total; self.label = label; start = now }

    func eta(_ now: Double) -> (rate: Double, left: Double?) {
        let el = Swift.max(now - start, 1e-9)
        let rate = Double(done) / el
        guard let total, rate > 0 else { return (rate, nil) }
        return (rate, Double(total - done) / rate)
    }
    static func clock(_ s: Double) -> String {
        let t = Int(s.rounded()); return String(format: "%d:%02d", t / 60, t % 60)
    }
    /// One terminal line: `label 45% |█████     | 45/100 [0:03<0:04, 12.3 it/s]`.
    public func text(now: Double) -> String {
        let (rate, left) = eta(now)
        let el = ProgressBar.clock(now - start)
        let r = String(format: "%.1f it/s", rate)
        let note = stopped.map { " — \($0)" } ?? ""
        guard let total, total > 0 else { return "\(label.isEmpty ? "" : label + " ")\(done) [\(el), \(r)]\(note)" }
        let frac = Double(done) / Double(total), width = 24
        let fill = Int((frac * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: fill) + String(repeating: " ", count: width - fill)
        return
            "\(label.isEmpty ? "" : label + " ")\(String(format: "%3d", Int(frac * 100)))% |\(bar)| \(done)/\(total) [\(el)<\(left.map(ProgressBar.clock) ?? "?"), \(r)]\(note)"
    }
    /// An HTML bar for notebooks.
    public func html(now: Double) -> String {
        let (rate, left) = eta(now)
        var info = "\(done)\(total.map { "/\($0)" } ?? "") [\(ProgressBar.clock(now - start))"
        if let left { info += "<\(ProgressBar.clock(left))" }
        info += String(format: ", %.1f it/s]", rate)
        let note =
            stopped.map {
                " <span class=\"stride-progress-stopped\" style=\"color: \(failed ? "#cf222e" : "#6e7781")\">"
                    + "\(failed ? "✗ " : "")\(escapeHTML($0))</span>"
            } ?? ""
        return
            "<div class=\"stride-progress\" style=\"font-family: monospace; font-size: 12px\">\(escapeHTML(label)) <progress value=\"\(done)\" max=\"\(total ?? Swift.max(done, 1))\" style=\"width: 240px; vertical-align: middle\"></progress> \(escapeHTML(info))\(note)</div>"
    }
}
