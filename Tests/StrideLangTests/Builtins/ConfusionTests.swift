import Testing
import Render
@testable import StrideLang
@testable import StrideTestSupport

@Suite struct ConfusionTests {
    @Test func aConfusionMatrixShowsItselfAndKeepsItsNumbers() throws {
        let h = Harness()
        h.run("let cm = confusion(eye(3), tensor([0, 1, 1]), classes: [\"cat\", \"dog\", \"fox\"])")
        guard case .ok(let b?) = h.run("cm") else {
            Issue.record("no display")
            return
        }
        #expect(b.data["text/html"]?.contains(">true \\ predicted</th>") == true)
        #expect(b.data["text/plain"]?.contains("dog                 0    1    1 │     2     50.0%") == true)
        #expect(
            h.value("cm.matrix")?.hasPrefix(
                "tensor([[1, 0, 0],\n        [0, 1, 1],\n        [0, 0, 0]])\nshape [3, 3], int64") == true)
        #expect(h.value("cm.per_class") == "[1.0, 0.5, nil]")
        #expect(h.value("cm.accuracy") == "0.6666666666666666")
        #expect(h.value("type(cm)") == "\"ConfusionMatrix\"")
        #expect(h.error("cm.acuracy")?.message.contains("did you mean 'accuracy'") == true)
        #expect(
            h.error("confusion(eye(3), tensor([0, 1, 1]), classes: [\"a\"])")?.message.contains("1 class names for 3")
                == true)
    }
}
