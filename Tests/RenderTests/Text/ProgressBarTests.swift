import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

/// The progress bar's text form.
@Suite struct ProgressBarTests {
    @Test func progressBarText() {
        var p = ProgressBar(total: 10, label: "epoch 1", now: 0)
        p.done = 5
        let t = p.text(now: 1)
        #expect(t.contains("50%") && t.contains("5/10") && t.contains("5.0 it/s") && t.contains("0:01<0:01"))
    }
}
