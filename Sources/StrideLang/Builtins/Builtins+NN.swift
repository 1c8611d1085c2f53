import CNN
import Foundation

extension Builtins {
    static func unaryNN(_ name: String, _ sig: String, _ summary: String, _ f: @escaping @Sendable (Tensor, inout Arguments) throws -> Tensor) -> Builtin {
        B("nn", name, sig, summary, "\(name)(x)") { a, _ in .tensor(try f(a.tensor(0, "x"), &a)) }
    }

    static let nnFunctions: [Builtin] = [
        B("nn", "conv2d", "conv2d(x, w, b, stride: 1, padding: 0, dilation: 1, groups: 1)", "2-D convolution of x (N, C, H, W) with filters w (K, C/groups, kh, kw) and bias b (K) or nil; output (N − F + 2P)/S + 1.", "conv2d(x, w, b, stride: 2, padding: 1)") { a, _ in
            let x = try a.tensor(0, "x"), w = try a.tensor(1, "w"), b = try a.optTensor(2, "b")
            let s = try a.pair(nil, "stride", default: IntPair(1)), p = try a.pair(nil, "padding", default: IntPair(0))
            let d = try a.pair(nil, "dilation", default: IntPair(1)), g = try a.int(nil, "groups", default: 1)
            return .tensor(try x.conv2d(w, bias: b, Conv2dOptions(stride: s.tuple, padding: p.tuple, dilation: d.tuple, groups: g)))
        },
        B("nn", "im2col", "im2col(x, kernel:, stride: 1, padding: 0)", "The column matrix (C·kh·kw, N·oh·ow): each column is one receptive field, so a convolution is one matrix product.", "im2col(x, kernel: 3, stride: 2, padding: 1)") { a, _ in
            let x = try a.tensor(0, "x"), k = try a.pair(1, "kernel")
            return .tensor(try x.im2col(kernel: k.tuple, stride: a.pair(nil, "stride", default: IntPair(1)).tuple, padding: a.pair(nil, "padding", default: IntPair(0)).tuple))
        },
        B("nn", "max_pool2d", "max_pool2d(x, k, stride: k, padding: 0)", "Max pooling over k×k windows; backward goes to the max unit only.", "max_pool2d(x, 2)") { a, _ in
            let x = try a.tensor(0, "x"), k = try a.pair(1, "kernel")
            return .tensor(try x.maxPool2d(kernel: k.tuple, stride: a.pair(nil, "stride", default: k).tuple, padding: a.pair(nil, "padding", default: IntPair(0)).tuple))
        },
        B("nn", "avg_pool2d", "avg_pool2d(x, k, stride: k, padding: 0)", "Average pooling over k×k windows.", "avg_pool2d(x, 2)") { a, _ in
            let x = try a.tensor(0, "x"), k = try a.pair(1, "kernel")
            return .tensor(try x.avgPool2d(kernel: k.tuple, stride: a.pair(nil, "stride", default: k).tuple, padding: a.pair(nil, "padding", default: IntPair(0)).tuple))
        },
        unaryNN("global_avg_pool", "global_avg_pool(x)", "Averages each channel: (N, C, H, W) → (N, C, 1, 1).") { x, _ in try x.globalAvgPool() },
        B("nn", "linear", "linear(x, w, b)", "x wᵀ + b with w of shape (out, in).", "linear(x, w, b)") { a, _ in
            .tensor(try CNN.linear(a.tensor(0, "x"), a.tensor(1, "w"), a.optTensor(2, "b")))
        },
        unaryNN("relu", "relu(x)", "max(0, x) elementwise.") { x, _ in try x.relu() },
        unaryNN("sigmoid", "sigmoid(x)", "1 / (1 + e^(−x)) elementwise.") { x, _ in try x.sigmoid() },
        unaryNN("tanh", "tanh(x)", "Hyperbolic tangent elementwise.") { x, _ in try x.tanh() },
        unaryNN("swish", "swish(x)", "x · sigmoid(x).") { x, _ in try x.swish() },
        unaryNN("leaky_relu", "leaky_relu(x, slope: 0.1)", "max(slope·x, x); the lecture's slope 0.1 (PyTorch's default is 0.01).") { x, a in try x.leakyRelu(slope: a.double(1, "slope", default: 0.1)) },
        unaryNN("elu", "elu(x, alpha: 1)", "x for x ≥ 0, α(eˣ − 1) below.") { x, a in try x.elu(alpha: a.double(1, "alpha", default: 1)) },
        B("nn", "prelu", "prelu(x, a)", "max(0, x) + a·min(0, x) with slopes a (one, or one per channel).", "prelu(x, tensor([0.25]))") { a, _ in
            .tensor(try a.tensor(0, "x").prelu(a.tensor(1, "a")))
        },
        unaryNN("softmax", "softmax(x, dim: 1)", "exp(x) / Σ exp(x) along dim (computed stably).") { x, a in try x.softmax(dim: a.int(1, "dim", default: x.ndim == 1 ? 0 : 1)) },
        unaryNN("log_softmax", "log_softmax(x, dim: 1)", "log(softmax(x)) along dim, computed stably.") { x, a in try x.logSoftmax(dim: a.int(1, "dim", default: x.ndim == 1 ? 0 : 1)) },
        unaryNN("maxout", "maxout(x, pieces: 2)", "Max over groups of `pieces` features: (N, F·k) → (N, F).") { x, a in try CNN.maxout(x, pieces: a.int(1, "pieces", default: 2)) },
        B("nn", "dropout", "dropout(x, p: 0.5, training: true)", "Zeroes elements with probability p and scales the rest by 1/(1 − p).", "dropout(h, p: 0.5)") { a, _ in
            .tensor(try a.tensor(0, "x").dropout(p: a.double(1, "p", default: 0.5), training: a.bool(nil, "training", default: true)))
        },
        B("nn", "batch_norm", "batch_norm(x, running_mean: nil, running_var: nil, weight: nil, bias: nil, training: true, momentum: 0.1, eps: 1e-5)", "Normalises each channel to zero mean and unit variance over the batch.", "batch_norm(x)") { a, _ in
            .tensor(try CNN.batchNorm(a.tensor(0, "x"), runningMean: a.optTensor(nil, "running_mean"), runningVar: a.optTensor(nil, "running_var"),
                                      weight: a.optTensor(nil, "weight"), bias: a.optTensor(nil, "bias"), training: a.bool(nil, "training", default: true),
                                      momentum: a.double(nil, "momentum", default: 0.1), eps: a.double(nil, "eps", default: 1e-5)))
        },
        B("nn", "local_response_norm", "local_response_norm(x, size, alpha: 1e-4, beta: 0.75, k: 1)", "AlexNet's normalisation across neighbouring channels.", "local_response_norm(x, 5)") { a, _ in
            .tensor(try CNN.localResponseNorm(a.tensor(0, "x"), size: a.int(1, "size"), alpha: a.double(nil, "alpha", default: 1e-4),
                                              beta: a.double(nil, "beta", default: 0.75), k: a.double(nil, "k", default: 1)))
        },
        B("nn", "cross_entropy", "cross_entropy(logits, labels)", "Softmax cross-entropy, the mean over the batch; labels are class indices.", "cross_entropy(model(x), y)") { a, _ in
            .tensor(try CNN.crossEntropy(a.tensor(0, "logits"), a.tensor(1, "labels")))
        },
        B("nn", "hinge_loss", "hinge_loss(scores, labels, margin: 1)", "Multiclass SVM loss: mean over samples of Σ_{j≠y} max(0, s_j − s_y + margin).", "hinge_loss(scores, y)") { a, _ in
            .tensor(try CNN.hingeLoss(a.tensor(0, "scores"), a.tensor(1, "labels"), margin: a.double(nil, "margin", default: 1)))
        },
        B("nn", "mse_loss", "mse_loss(a, b)", "Mean squared error.", "mse_loss(pred, target)") { a, _ in
            .tensor(try CNN.mseLoss(a.tensor(0, "a"), a.tensor(1, "b")))
        },
        B("nn", "accuracy", "accuracy(logits, labels)", "Fraction of rows whose argmax is the label, a Float in 0…1.", "accuracy(model(x), y)") { a, _ in
            .float(try CNN.accuracy(a.tensor(0, "logits"), a.tensor(1, "labels")))
        },
        B("nn", "out_size", "out_size(n, kernel:, stride: 1, padding: 0)", "The lecture's (N − F + 2P)/S + 1 as a Float: 2.33… means the filter does not fit.", "out_size(7, kernel: 3, stride: 3)  // 2.333…") { a, _ in
            let n = try a.double(0, "n"), f = try a.double(1, "kernel"), s = try a.double(nil, "stride", default: 1), p = try a.double(nil, "padding", default: 0)
            guard s > 0 else { throw a.error(.value, "stride must be positive, got \(s)") }
            return .float((n - f + 2 * p) / s + 1)
        },
    ]
}
