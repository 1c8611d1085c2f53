import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

/// Every example in the builtin table (what `help` and docs/builtins.md show) parses and runs, in a fresh session
/// with a small prelude; a builtin that reads an argument its declaration lacks fails here with "internal".
@Suite struct HelpExampleTests {
    static let prelude = """
        seed(0)
        let x = randn(2, 3)
        let model = Sequential(Conv2d(1, 4, kernel: 3, padding: 1), ReLU(), Flatten(), Linear(4 * 8 * 8, 3))
        let opt = SGD(model, lr: 0.1)
        let xs = [3, 1, 2]
        let d = ["a": 1, "b": 2]
        let s = "a b"
        let labels = tensor([0, 1, 2, 1])
        let logits = randn(4, 3)
        let path = tempdir() + "/m.npz"
        save(model, path)
        let dir = tempdir()
        """

    /// Examples that need files a fresh machine does not have, and the error they must give instead.
    static let needsData: [String: ErrorKind] = ["mnist": .io, "image_folder": .io, "cifar10": .io]

    @Test(arguments: Builtins.all.map(\.name))
    func exampleRuns(_ name: String) throws {
        for b in Builtins.all where b.name == name {
            let h = Harness()
            h.host.inputs = ["Ada"]
            h.run(Self.prelude)
            let example = b.example
            #expect(!example.contains("\"/tmp"), "\(b.name): examples write into tempdir(), not /tmp")
            switch h.run(example) {
            case .ok:
                #expect(Self.needsData[b.name] == nil, "\(b.name) ran without its data")
            case .error(let e, _, _, _) where Self.needsData[b.name] == e.kind:
                break
            case .error(let e, _, _, _):
                Issue.record("\(b.signature): example `\(example)` fails: \(e.kind.rawValue): \(e.message)")
            }
        }
    }
}
