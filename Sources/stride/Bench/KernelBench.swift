import CNN
import Foundation
import Render

/// The kernels section: convolutions, pooling, a linear layer, a LeNet-5 step and rendering, against PyTorch.
enum KernelBench {
    static func run() throws -> [BenchRow] {
        GlobalRandom.seed(0)
        var rows: [BenchRow] = []
        let convCases: [(String, [Int], Int, Int, Int, Int)] = [
            ("conv 64x64x32x32->64 3x3 p1", [64, 64, 32, 32], 64, 3, 1, 1),
            ("conv 64x128x16x16->128 3x3 p1", [64, 128, 16, 16], 128, 3, 1, 1),
            ("conv 32x3x227x227->96 11x11 s4", [32, 3, 227, 227], 96, 11, 4, 0),
            ("conv 64x3x32x32->64 3x3 p1", [64, 3, 32, 32], 64, 3, 1, 1),
        ]
        for (name, shape, k, f, s, p) in convCases {
            let x = try Tensor.randn(shape); x.requiresGrad = true
            let w = try Tensor.randn([k, shape[1], f, f]); w.requiresGrad = true
            let b = try Tensor.randn([k]); b.requiresGrad = true
            let opt = Conv2dOptions(stride: s, padding: p)
            let oh = (shape[2] + 2 * p - f) / s + 1, ow = (shape[3] + 2 * p - f) / s + 1
            let flops = 2.0 * Double(shape[0] * k * oh * ow * shape[1] * f * f)
            let tf = try Bench.best(3) { _ = try withNoGrad { try x.conv2d(w, bias: b, opt) } }
            rows.append(
                BenchRow(name: name + " fwd", seconds: tf, note: String(format: "%.1f GFLOP/s", flops / tf / 1e9)))
            let tb = try Bench.best(3) {
                x.grad = nil; w.grad = nil; b.grad = nil
                let y = try x.conv2d(w, bias: b, opt)
                try y.backward(gradient: Tensor.ones(y.shape))
            }
            rows.append(
                BenchRow(
                    name: name + " fwd+bwd", seconds: tb, note: String(format: "%.1f GFLOP/s", 3 * flops / tb / 1e9)))
        }
        let xp = try Tensor.randn([64, 64, 56, 56])
        rows.append(
            BenchRow(
                name: "max_pool2d 64x64x56x56 k2",
                seconds: try Bench.best(5) { _ = try withNoGrad { try xp.maxPool2d(kernel: (2, 2)) } }))
        let xl = try Tensor.randn([64, 4096]), wl = try Tensor.randn([4096, 4096]), bl = try Tensor.randn([4096])
        let tl = try Bench.best(5) { _ = try withNoGrad { try linear(xl, wl, bl) } }
        rows.append(
            BenchRow(
                name: "linear 64x4096->4096", seconds: tl,
                note: String(format: "%.1f GFLOP/s", 2.0 * 64 * 4096 * 4096 / tl / 1e9)))
        let model = try LeNet5()
        let sgd = try SGD(model.parameters, lr: 0.01, momentum: 0.9)
        let xb = try Tensor.randn([64, 1, 32, 32]), yb = try Tensor((0..<64).map { Double($0 % 10) }, shape: [64])
        let ts = try Bench.best(10) {
            sgd.zeroGrad(); let l = try crossEntropy(model(xb), yb); try l.backward(); try sgd.step()
        }
        rows.append(BenchRow(name: "lenet5 sgd step b64", seconds: ts, note: String(format: "%.0f images/s", 64 / ts)))
        let act = try Tensor.randn([64, 112, 112])
        rows.append(
            BenchRow(name: "show 64x112x112 activation", seconds: try Bench.best(5) { _ = try TensorImage.bundle(act) })
        )
        return rows
    }
}
