import Foundation
import Render

/// The progress bars of the cell that is running, one display per `progress(…)` call site: a loop that runs
/// again (each epoch's bar) adds its bar under the finished ones in the same display, so a cell's outputs keep
/// the order they first appeared in (the bars, then the plot they interleave with). When the cell ends, a bar
/// still running was left by an error, an interrupt or a `break`, and says so.
final class ProgressBoard {
    /// One call site's display: its finished bars and the one running.
    final class Display {
        let id: String
        var finished: [(html: String, text: String)] = []
        var current: ProgressBar? = nil
        var shown = false

        init(id: String) { self.id = id }

        func bundle(now: Double) -> MIMEBundle {
            let html = finished.map(\.html) + (current.map { [$0.html(now: now)] } ?? [])
            let text = current?.text(now: now) ?? finished.last?.text ?? ""
            return MIMEBundle(data: ["text/html": html.joined(), "text/plain": text])
        }
    }

    private var sites: [String: Display] = [:]

    /// Forgets the last cell's bars (each cell's call sites start new displays).
    func beginCell() { sites = [:] }

    /// The display of the call site `site` in this cell.
    func display(at site: String) -> Display {
        if let d = sites[site] { return d }
        let d = Display(id: "progress-\(UUID().uuidString)")
        sites[site] = d
        return d
    }

    /// Marks the bars still running when the cell ended: `error` names what ended it (nil: the loop was left
    /// early, by `break` or `return`). Returns the displays to send again.
    func endCell(error: String?) -> [Display] {
        var changed: [Display] = []
        for d in sites.values {
            guard var bar = d.current, d.shown else { continue }
            bar.stopped = error.map { "stopped by \($0)" } ?? "stopped early"
            bar.failed = error != nil
            d.current = bar
            changed.append(d)
        }
        sites = [:]
        return changed
    }
}
