import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

/// The residual block of the language reference (docs/language.md §14).
let blockSource = """
    layer Block(cin, cout, stride: 1) {
        /// Two 3x3 convolutions with a shortcut.
        let conv1 = Conv2d(cin, cout, kernel: 3, stride: stride, padding: 1, bias: false)
        let bn1 = BatchNorm2d(cout)
        let conv2 = Conv2d(cout, cout, kernel: 3, padding: 1, bias: false)
        let bn2 = BatchNorm2d(cout)
        var shortcut = nil
        if stride != 1 || cin != cout {
            shortcut = Sequential(Conv2d(cin, cout, kernel: 1, stride: stride, bias: false), BatchNorm2d(cout))
        }
        var gain = parameter(ones(1, cout, 1, 1))
        func forward(x) {
            var s = x
            if shortcut != nil { s = shortcut(x) }
            return relu(bn2(conv2(relu(bn1(conv1(x))))) * gain + s)
        }
    }
    """

/// A network of blocks held in a list field, built in a loop.
let netSource = """
    layer Net(depth: 3) {
        let stem = Conv2d(1, 4, kernel: 3, padding: 1)
        let blocks = []
        for i in 0..<depth { blocks.append(Block(4, 4)) }
        let head = Linear(4, 3)
        var seen = []
        func forward(x) {
            seen.append(training)
            var h = relu(stem(x))
            for b in blocks { h = b(h) }
            return head(h.mean(dim: [2, 3]))
        }
    }
    """

@Suite struct UserLayerTests {
    let h = Harness()
    init() { h.run(blockSource + "\n" + netSource) }

    @Test func buildsAndRuns() {
        #expect(h.value("let b = Block(3, 8, stride: 2)\nb(randn(2, 3, 8, 8)).shape") == "[2, 8, 4, 4]")
        // conv1 216 + bn1 16 + conv2 576 + bn2 16 + shortcut 24 + 16 + gain 8
        #expect(h.value("paramcount(b)") == "872")
        #expect(h.value("b.paramcount") == "872")
        #expect(h.value("b.parameters.count") == "10")
        #expect(h.value("Block(4, 4).shortcut") == nil)  // a plain field holding nil
        #expect(h.value("b.conv1.weight.shape") == "[8, 3, 3, 3]")
        #expect(h.value("b.gain.requires_grad") == "true")
    }

    @Test func fieldsCanBeReassignedAndForwardSeesIt() {
        h.run("let b = Block(4, 4)\nlet x = randn(1, 4, 6, 6)")
        #expect(h.value("b.conv1 = Conv2d(4, 4, kernel: 1, bias: false)\nb.conv1.weight.shape") == "[4, 4, 1, 1]")
        #expect(h.value("b(x).shape") == "[1, 4, 6, 6]")
        #expect(h.value("b.paramcount") == "\(16 + 8 + 144 + 8 + 4)")
        #expect(h.value("b.gain = parameter(zeros(1, 4, 1, 1))\nallclose(b(x), relu(x))") == "true")
    }

    @Test func insideContainersAndOptimisers() {
        let code = """
            seed(3)
            let m = Sequential(Block(1, 4), Block(4, 4, stride: 2), Flatten(), Linear(64, 2))
            let opt = Adam(m, lr: 0.01)
            let x = randn(8, 1, 8, 8)
            let y = tensor([0, 1, 0, 1, 0, 1, 0, 1])
            var losses = []
            for i in 0..<15 {
                zero_grad(m)
                let loss = cross_entropy(m(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
            }
            losses[14] < losses[0] * 0.5
            """
        #expect(h.value(code) == "true")
        #expect(h.value("m[1].gain.grad != nil") == "true")
        #expect(h.value("Sequential(Block(2, 2), ReLU())(randn(1, 2, 4, 4)).shape") == "[1, 2, 4, 4]")
        #expect(h.value("Residual(Block(2, 2))(randn(1, 2, 4, 4)).shape") == "[1, 2, 4, 4]")
    }

    @Test func trainEvalReachesEverySublayerAndTrainingIsReadable() {
        h.run("let n = Net()\nlet x = randn(2, 1, 6, 6)\nn(x)\nn.eval()\nn(x)\nn.train()\nn(x)")
        #expect(h.value("n.seen") == "[true, false, true]")
        #expect(h.value("n.eval()\nn.blocks[2].bn1.training") == "false")
        #expect(h.value("n.train()\nn.blocks[2].shortcut == nil && n.blocks[2].bn2.training") == "true")
    }

    @Test func freezeZeroGradOutput() {
        h.run("let n = Net(depth: 2)\nlet out = n(randn(2, 1, 6, 6))\nout.sum().backward()")
        #expect(h.value("n.blocks[1].conv2.weight.grad != nil") == "true")
        #expect(h.value("zero_grad(n)\nn.blocks[1].conv2.weight.grad") == nil)
        #expect(h.value("n.blocks[1].output.shape") == "[2, 4, 6, 6]")
        #expect(h.value("n.output.shape") == "[2, 3]")
        #expect(h.value("n.freeze()\nfilter(n.parameters, { p in p.requires_grad }).count") == "0")
        #expect(h.value("n.unfreeze()\nfilter(n.parameters, { p in p.requires_grad }).count") == "\(2 + 2 * 7 + 2)")
    }

    @Test func stateDictNamesArePyTorchs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stride-ul-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.npz").path
        h.run("seed(1)\nlet m = Sequential(Block(3, 1, stride: 2), Net(depth: 3))")
        #expect(h.value("save(m, \"\(path)\")") == nil)
        let keys = try #require(h.value("load(\"\(path)\").keys"))
        for k in [
            "0.gain", "0.conv1.weight", "0.bn1.running_mean", "0.bn1.num_batches_tracked", "0.shortcut.0.weight",
            "0.shortcut.1.running_var", "1.stem.weight", "1.blocks.2.bn1.running_mean", "1.blocks.0.gain",
            "1.head.bias",
        ] {
            #expect(keys.contains("\"\(k)\""), "missing \(k) in \(keys)")
        }
        #expect(!keys.contains("seen"))  // plain values are not state
        // round trip into a fresh model with the same structure
        h.run("seed(2)\nlet m2 = Sequential(Block(3, 1, stride: 2), Net(depth: 3))")
        #expect(h.value("allclose(m2[1].blocks[2].conv1.weight, m[1].blocks[2].conv1.weight)") == "false")
        #expect(
            h.value("load_into(m2, \"\(path)\")\nallclose(m2[1].blocks[2].conv1.weight, m[1].blocks[2].conv1.weight)")
                == "true")
        #expect(h.value("allclose(m2[0].gain, m[0].gain)") == "true")
        #expect(h.value("m2.eval()\nm.eval()\nlet x3 = randn(1, 3, 8, 8)\nallclose(m2(x3), m(x3))") == "true")
    }

    @Test func printedLikePyTorch() {
        h.run("let b = Block(3, 8, stride: 2)")
        let want = """
            Block(
              (conv1): Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
              (bn1): BatchNorm2d(8, eps=1e-05, momentum=0.1)
              (conv2): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
              (bn2): BatchNorm2d(8, eps=1e-05, momentum=0.1)
              (shortcut): Sequential(
                (0): Conv2d(3, 8, kernel_size=(1, 1), stride=(2, 2), bias=False)
                (1): BatchNorm2d(8, eps=1e-05, momentum=0.1)
              )
            )

            """
        h.run("print(b)")
        #expect(h.host.stdout == want)
        h.run("print(Net(depth: 1))")
        #expect(h.host.stdout.contains("(blocks): ModuleList(\n    (0): Block(\n      (conv1): Conv2d(4, 4"))
    }

    @Test func summaryHasANestedRowForEverySublayer() throws {
        let s = try #require(h.value("summary(Net(depth: 2), input: [2, 1, 6, 6])"))
        let rows = s.split(separator: "\n").map { String($0) }
        let names = rows.compactMap { r -> String? in
            let t = r.trimmingCharacters(in: CharacterSet(charactersIn: " │├└─"))
            guard let colon = t.firstIndex(of: ":") else { return nil }
            return String(t[..<colon])
        }
        #expect(names.prefix(9) == ["stem", "blocks", "0", "conv1", "bn1", "conv2", "bn2", "1", "conv1"])
        // nesting shows in the tree's guides: a block's conv is deeper than the block
        let block = try #require(rows.first { $0.contains("0: Block") })
        let conv = try #require(rows.first { $0.contains("conv1: Conv2d") })
        #expect(block.hasPrefix("│  ├─ 0: Block") && conv.hasPrefix("│  │  ├─ conv1: Conv2d"))
        let blockParams = 144 + 8 + 144 + 8 + 4
        let total = 36 + 4 + 2 * blockParams + 15
        #expect(s.contains("Total params: \(total)"))
    }

    @Test func showDrawsEverySublayerInCallOrder() throws {
        h.run("let n = Net(depth: 2)\nshow(n, randn(1, 1, 6, 6))")
        let (bundle, _, _) = try #require(h.host.displays.last)
        let text = try #require(bundle.data["text/plain"])
        let order = [
            "input", "stem Conv2d", "blocks.0.conv1 Conv2d", "blocks.0.bn1 BatchNorm2d", "blocks.0.conv2 Conv2d",
            "blocks.0 Block", "blocks.1.conv1 Conv2d", "blocks.1 Block", "head Linear",
        ]
        var at = text.startIndex
        for name in order {
            let r = try #require(
                text.range(of: name, range: at..<text.endIndex), "\(name) missing or out of order in\n\(text)")
            at = r.upperBound
        }
        #expect(bundle.data["text/html"]?.contains("<img") == true)
    }

    @Test func completionAndHelp() {
        h.run("let b = Block(3, 8)")
        let c = h.session.complete("b.", cursor: 2).matches
        for m in ["conv1", "bn1", "shortcut", "gain", "forward", "train", "eval", "parameters"] {
            #expect(c.contains(m), "\(m) not completed in \(c)")
        }
        #expect(h.session.complete("b.con", cursor: 5).matches == ["conv1", "conv2"])
        h.run("help(Block)")
        guard case .page(let text)? = h.host.events.last else {
            Issue.record("help did not page")
            return
        }
        #expect(text.hasPrefix("layer Block(cin, cout, stride: 1)"))
        #expect(text.contains("Two 3x3 convolutions with a shortcut."))
        // the fields it declares and its forward's signature
        #expect(text.contains("fields:\n  conv1\n  bn1\n  conv2\n  bn2\n  shortcut\n  gain"))
        #expect(text.contains("methods:\n  func forward(x)"))
        // an instance: each field's value
        h.run("help(b)")
        guard case .page(let made)? = h.host.events.last else {
            Issue.record("help did not page")
            return
        }
        #expect(made.contains("  conv1: Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"))
        #expect(
            made.contains("  gain: parameter Tensor [1, 8, 1, 1] float32") && made.contains("  shortcut: Sequential"))
    }

    @Test func errorsInsideForwardShowTheCallStackThroughTheLayer() throws {
        h.run(
            "layer Bad(c) {\n    let conv = Conv2d(c, c, kernel: 3)\n    func forward(x) {\n        return conv(x) + ones(5)\n    }\n}"
        )
        let e = try #require(h.error("let bad = Bad(2)\nlet y = bad(randn(1, 2, 6, 6))"))
        #expect(e.kind == .shape)
        #expect(e.span?.line == 4)
        #expect(e.callStack.first?.function == "Bad.forward")
        #expect(e.callStack.first?.callSite.line == 2)
        let text = h.session.render(e)
        #expect(text.contains("in Bad.forward, called at cell \(h.cell), line 2"))
        #expect(text.contains("        return conv(x) + ones(5)\n"))
        #expect(text.contains("^"))
    }

    @Test func declarationErrors() {
        let noForward = h.error("layer NoForward() { let a = 1 }")
        #expect(noForward?.kind == .syntax)
        #expect(noForward?.message.contains("forward") == true)
        #expect(h.error("Block(3)")?.kind == .type)  // missing argument
        #expect(h.error("let b = Block(1, 1)\nb(ones(1, 1, 4, 4), ones(1))")?.kind == .type)  // forward takes one
        #expect(h.error("let b = Block(1, 1)\nb.nothing")?.kind == .name)
    }

    @Test func layersCallOtherLayersAndOps() {
        let code = """
            op scale2(x) { return (x * 2, { g in g * 2 }) }
            layer Twice(c) {
                let inner = Block(c, c)
                func forward(x) { return scale2(inner(x)) }
            }
            let t = Twice(2)
            let x = randn(1, 2, 4, 4)
            t.eval()
            allclose(t(x), t.inner(x) * 2)
            """
        #expect(h.value(code) == "true")
    }
}
