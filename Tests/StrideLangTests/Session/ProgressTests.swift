import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import Render

/// Progress bars keep their place among a cell's outputs and say how their loop ended.
@Suite struct ProgressTests {
    func progressDisplays(_ h: Harness) -> [(id: String, html: String)] {
        h.host.displays.compactMap { b, id, _ in
            guard let id, id.hasPrefix("progress-") else { return nil }
            return (id, b.data["text/html"] ?? "")
        }
    }

    @Test func eachEpochsBarJoinsTheSameOutputAboveThePlot() {
        let h = Harness()
        h.run(
            """
            var losses = []
            for epoch in 0..<3 {
                for i in progress(0..<4, label: "epoch \\(epoch)") { losses.append(i) }
                plot(losses, id: "loss")
            }
            """)
        let ids = h.host.displays.compactMap { $0.1 }
        // one progress display, created before the plot, updated in place after it
        #expect(Set(ids.filter { $0.hasPrefix("progress-") }).count == 1)
        #expect(ids.first?.hasPrefix("progress-") == true && ids.contains("loss"))
        let last = progressDisplays(h).last?.html ?? ""
        #expect(last.components(separatedBy: "class=\"stride-progress\"").count - 1 == 3)
        #expect(last.contains("epoch 0") && last.contains("epoch 2") && !last.contains("stopped"))
        // the next cell's loop starts a display of its own
        h.run("for i in progress(0..<2) { }")
        #expect(Set(progressDisplays(h).map(\.id)).count == 2)
    }

    @Test func aBarLeftByAnErrorSaysSo() {
        let h = Harness()
        _ = h.error("for i in progress(0..<19) { if i == 3 { let boom = [1][5] } }")
        let last = progressDisplays(h).last?.html ?? ""
        #expect(last.contains("3/19") && last.contains("stopped by IndexError") && last.contains("#cf222e"))
        h.run("for i in progress(0..<10) { if i == 4 { break } }")
        let broken = progressDisplays(h).last?.html ?? ""
        #expect(broken.contains("4/10") && broken.contains("stopped early") && !broken.contains("✗"))
    }
}
