import CNN
import Foundation
import StrideLang

/// The networks section: whole training steps and the pieces they are made of (batch norm, backward passes,
/// depthwise and small convolutions, random generation), each a Stride cell timed against the same work in
/// PyTorch (`benchmarks/torch_networks.py`, same names, same thread count) in the same run.
enum NetworkBench {
    struct Case {
        var name: String
        var setup: String
        var work: String
        var reps = 5
    }

    static let resnet = "let model = ResNet18(classes: 10)\nlet x = randn(32, 3, 32, 32)\nlet y = arange(32) % 10\n"
    static let vgg = """
        let model = Sequential(
            Conv2d(3, 64, kernel: 3, padding: 1), BatchNorm2d(64), ReLU(), MaxPool2d(2),
            Conv2d(64, 128, kernel: 3, padding: 1), BatchNorm2d(128), ReLU(),
            Conv2d(128, 128, kernel: 3, padding: 1), BatchNorm2d(128), ReLU(), MaxPool2d(2),
            Conv2d(128, 256, kernel: 3, padding: 1), BatchNorm2d(256), ReLU(),
            Conv2d(256, 256, kernel: 3, padding: 1), BatchNorm2d(256), ReLU(), MaxPool2d(2),
            Flatten(), Linear(256 * 4 * 4, 256), ReLU(), Linear(256, 10))
        let x = randn(32, 3, 32, 32)
        let y = arange(32) % 10

        """
    static let step = "opt.zero_grad()\nbackward(cross_entropy(model(x), y))\nopt.step()"

    static let cases: [Case] = [
        Case(
            name: "resnet18 sgd+momentum step b32", setup: resnet + "let opt = SGD(model, lr: 0.01, momentum: 0.9)",
            work: step),
        Case(name: "resnet18 forward b32", setup: resnet, work: "let out = model(x)"),
        Case(name: "vgg-style sgd step b32", setup: vgg + "let opt = SGD(model, lr: 0.01, momentum: 0.9)", work: step),
        Case(
            name: "lenet5 sgd step b64",
            setup: "let model = LeNet5()\nlet opt = SGD(model, lr: 0.01, momentum: 0.9)\n"
                + "let x = randn(64, 1, 32, 32)\nlet y = arange(64) % 10",
            work: step, reps: 10),
        Case(
            name: "batchnorm2d(64) fwd+bwd 32x64x16x16",
            setup: "let bn = BatchNorm2d(64)\nlet a = randn(32, 64, 16, 16, requires_grad: true)",
            work: "backward(bn(a).sum())", reps: 10),
        Case(
            name: "(relu(a*2+1)*a).sum() bwd 32x256x8x8", setup: "let a = randn(32, 256, 8, 8, requires_grad: true)",
            work: "backward((relu(a * 2 + 1) * a).sum())", reps: 10),
        Case(
            name: "a.sum() bwd 32x256x8x8", setup: "let a = randn(32, 256, 8, 8, requires_grad: true)",
            work: "backward(a.sum())", reps: 10),
        Case(
            name: "depthwise 3x3 fwd+bwd 32x128x16x16",
            setup:
                "let a = randn(32, 128, 16, 16, requires_grad: true)\nlet w = randn(128, 1, 3, 3, requires_grad: true)",
            work: "backward(conv2d(a, w, nil, padding: 1, groups: 128).sum())"),
        Case(
            name: "conv 256->256 3x3 on 4x4 fwd+bwd b32",
            setup:
                "let a = randn(32, 256, 4, 4, requires_grad: true)\nlet w = randn(256, 256, 3, 3, requires_grad: true)",
            work: "backward(conv2d(a, w, nil, padding: 1).sum())"),
        Case(name: "randn(12000, 12000)", setup: "", work: "let r = randn(12000, 12000)", reps: 3),
        // shapes beside the issue's: a MobileNet-style strided depthwise layer, a classifier's loss, a bias
        Case(
            name: "depthwise 3x3 s2 fwd+bwd 32x64x32x32",
            setup:
                "let a = randn(32, 64, 32, 32, requires_grad: true)\nlet w = randn(64, 1, 3, 3, requires_grad: true)",
            work: "backward(conv2d(a, w, nil, stride: 2, padding: 1, groups: 64).sum())"),
        Case(
            name: "cross_entropy fwd+bwd 512x1000",
            setup: "let a = randn(512, 1000, requires_grad: true)\nlet y = arange(512) % 1000",
            work: "backward(cross_entropy(a, y))", reps: 10),
        Case(
            name: "a + b[256,1,1] fwd+bwd 32x256x8x8",
            setup: "let a = randn(32, 256, 8, 8, requires_grad: true)\nlet b = randn(256, 1, 1, requires_grad: true)",
            work: "backward((a + b).sum())", reps: 10),
    ]

    static func run() -> [BenchRow] {
        cases.compactMap { c in
            Bench.timeCell("network", c.name, setup: c.setup, code: c.work, reps: c.reps) { session in
                guard c.name.hasPrefix("resnet18 sgd") else { return "" }
                // one more step, measuring the tensor memory it needs at its peak
                session.budget.resetPeak()
                let before = session.budget.peak
                _ = session.execute(c.work)
                return String(format: "peak tensor memory %.0f MB", Double(session.budget.peak - before) / 1e6)
            }
        }
    }
}
