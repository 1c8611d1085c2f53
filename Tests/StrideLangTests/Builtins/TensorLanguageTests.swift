import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

@Suite struct TensorLanguageTests {
    let h = Harness()

    @Test func slicingLikeNumpy() {
        h.run("let x = arange(24).reshape(2, 3, 4)")
        #expect(h.value("x.dtype") == "\"int64\"")  // arange of Ints is Int64, as in PyTorch
        #expect(h.value("x[0, 1].tolist()") == "[4, 5, 6, 7]")
        #expect(h.value("x[:, :, 0].shape") == "[2, 3]")
        #expect(h.value("x[..., -1].tolist()") == "[[3, 7, 11], [15, 19, 23]]")
        #expect(h.value("x[1, ::2, 1:3].tolist()") == "[[13, 14], [21, 22]]")
        #expect(h.value("let z = zeros(2, 2)\nz[0, 1] = 5\nz.tolist()") == "[[0.0, 5.0], [0.0, 0.0]]")
        #expect(h.error("x[2]")?.kind == .index)
    }

    @Test func broadcastingWithNumbersAndLists() {
        #expect(h.value("(tensor([1, 2]) + [10, 20]).tolist()") == "[11.0, 22.0]")
        #expect(h.value("(2 * ones(2)).tolist()") == "[2.0, 2.0]")
        #expect(h.value("(tensor([1, 5]) > 2).tolist()") == "[0.0, 1.0]")
        #expect(h.error("ones(2, 3) + ones(4)")?.kind == .shape)
    }

    @Test func autogradThroughTheLanguage() {
        h.run("let w = tensor([2.0, -1.0], requires_grad: true)\nlet y = (w * w).sum()\ny.backward()")
        #expect(h.value("w.grad.tolist()") == "[4.0, -2.0]")
        h.run("func sq(x) { return (x * x).sum() }")
        #expect(h.value("grad(sq, tensor([3.0])).tolist()") == "[6.0]")
        h.run("func relusum(x) { return relu(x).sum() + (x * x).mean() }")
        let e = Double(h.value("gradcheck(relusum, randn(4, 4))") ?? "1") ?? 1
        #expect(e < 1e-6)
    }

    @Test func lectureExampleInTheLanguage() {
        let code = """
            let x = zeros(1, 3, 7, 7)
            x[0, 0] = tensor([[0,0,0,0,0,0,0],[0,0,0,2,0,2,0],[0,1,2,2,2,0,0],[0,0,2,1,0,0,0],[0,0,2,0,2,1,0],[0,1,0,2,2,0,0],[0,0,0,0,0,0,0]])
            x[0, 1] = tensor([[0,0,0,0,0,0,0],[0,1,0,0,2,0,0],[0,1,0,1,0,1,0],[0,0,0,2,1,2,0],[0,1,2,1,0,0,0],[0,1,2,2,0,2,0],[0,0,0,0,0,0,0]])
            x[0, 2] = tensor([[0,0,0,0,0,0,0],[0,0,2,2,1,0,0],[0,0,2,0,0,1,0],[0,1,1,1,2,1,0],[0,2,0,1,2,2,0],[0,2,1,1,0,0,0],[0,0,0,0,0,0,0]])
            let w = tensor([[[[-1,0,-1],[1,-1,1],[-1,0,-1]], [[0,-1,1],[1,1,1],[-1,1,-1]], [[0,0,0],[-1,1,-1],[1,1,-1]]],
                            [[[0,1,1],[-1,-1,-1],[1,-1,1]], [[-1,0,-1],[1,1,1],[-1,1,-1]], [[0,1,0],[0,0,-1],[1,-1,0]]]])
            let o = conv2d(x, w, tensor([1, 0]), stride: 2)
            o[0].tolist()
            """
        #expect(
            h.value(code)
                == "[[[-3.0, -1.0, 0.0], [-1.0, -8.0, 2.0], [3.0, 0.0, 3.0]], [[1.0, 4.0, 2.0], [-1.0, 4.0, 5.0], [3.0, 1.0, 3.0]]]"
        )
        #expect(h.value("paramcount(Conv2d(3, 10, kernel: 5, stride: 1, padding: 2))") == "760")
        #expect(h.value("out_size(7, kernel: 3, stride: 3)") == "2.333333333333333")
    }

    @Test func layersModelsAndTraining() {
        let code = """
            seed(0)
            let model = Sequential(Conv2d(1, 4, kernel: 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(), Linear(64, 3))
            let x = randn(12, 1, 8, 8)
            let y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
            let opt = SGD(model, lr: 0.1, momentum: 0.9)
            var first = 0.0
            var last = 0.0
            for step in 0..<40 {
                opt.zero_grad()
                let loss = cross_entropy(model(x), y)
                loss.backward()
                opt.step()
                if step == 0 { first = loss.item() }
                last = loss.item()
            }
            last < first / 2
            """
        #expect(h.value(code) == "true")
        #expect(h.value("model[2].output.shape") == "[12, 4, 4, 4]")
        #expect(h.value("accuracy(model(x), y) > 0.5") == "true")
        #expect(
            h.value("var n = 0\nfor (xb, yb) in batches(x, y, size: 5, shuffle: true) { n += xb.shape[0] }\nn") == "12")
    }

    @Test func transferLearningFreezesAndReplacesTheHead() {
        let code = """
            let net = LeNet5()
            net.freeze()
            net[-1] = Linear(84, 3)
            let opt = SGD(net, lr: 0.1)
            let before = net[0].weight.sum().item()
            let loss = cross_entropy(net(randn(4, 1, 32, 32)), tensor([0, 1, 2, 0]))
            loss.backward()
            opt.step()
            (net[0].weight.grad == nil, net[-1].weight.grad != nil, net[0].weight.sum().item() == before, net(randn(1, 1, 32, 32)).shape)
            """
        #expect(h.value(code) == "(true, true, true, [1, 3])")
    }

    @Test func shapeErrorsNameTheLayerAndCaret() {
        let e = h.error("let c = Conv2d(3, 8, kernel: 3)\nlet img = zeros(1, 1, 28, 28)\nlet y = c(img)")
        #expect(e?.kind == .shape)
        #expect(e?.message == "Conv2d expected 3 input channels, got 1 (input [1, 1, 28, 28])")
        #expect(e?.span?.line == 3 && e?.span?.column == 9)
        let text = h.session.render(e!)
        #expect(text.contains(" 3 | let y = c(img)"))
        #expect(text.contains("|         ^^^^^^"))
        #expect(text.contains("--> cell \(h.cell), line 3, column 9"))
    }

    @Test func memoryLimitGivesMemoryError() {
        let small = Harness()
        small.session.budget.limit = 64 << 20
        let e = small.error("let big = zeros(1024, 1024, 1024)")
        #expect(e?.kind == .memory)
        #expect(small.value("1 + 1") == "2")
    }

    @Test func interruptStopsALoopAndKeepsBindings() throws {
        let h2 = Harness()
        h2.run("let keep = 7")
        let token = h2.session.token
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { token.cancel() }
        let t0 = Date()
        let e = h2.error("var i = 0\nwhile true { i += 1 }")
        #expect(e?.kind == .interrupted)
        #expect(Date().timeIntervalSince(t0) < 2)
        #expect(h2.value("keep") == "7")
        #expect(h2.value("i > 0") == "true")
    }
}
