import CNN
import Foundation

extension Builtins {
    /// A function of one tensor that is also a tensor method (`relu(x)` and `x.relu()`).
    static func unaryNN(
        _ name: String, _ extra: [Param], _ summary: String, _ example: String,
        _ f: @escaping @Sendable (Tensor, Args) throws -> Tensor
    ) -> Builtin {
        B("nn", name, [p("x", .tensorLike)] + extra, .tensor, summary, example, receiver: .tensor) { a in
            .tensor(try f(a.tensor("x"), a))
        }
    }

    static let strideParam = p("stride", .pair, .int(1), label: true)
    static let paddingParam = p("padding", .pair, .int(0), label: true)

    static let nnFunctions: [Builtin] = [
        B(
            "nn", "conv2d",
            [
                p("x", .tensorLike), p("w", .tensorLike), p("b", .tensorLike, .none), strideParam, paddingParam,
                p("dilation", .pair, .int(1), label: true), p("groups", .int, .int(1), label: true),
            ], .tensor,
            "2-D convolution of x (N, C, H, W) with filters w (K, C/groups, kh, kw) and bias b (K) or nil; output (N − F + 2P)/S + 1.",
            "conv2d(randn(1, 3, 7, 7), randn(2, 3, 3, 3), nil, stride: 2, padding: 1)"
        ) { a in
            let x = try a.tensor("x"), w = try a.tensor("w"), b = try a.optTensor("b")
            let s = try a.pair("stride"), pd = try a.pair("padding"), d = try a.pair("dilation")
            return .tensor(
                try x.conv2d(
                    w, bias: b,
                    Conv2dOptions(stride: s.tuple, padding: pd.tuple, dilation: d.tuple, groups: a.int("groups"))))
        },
        B(
            "nn", "im2col", [p("x", .tensorLike), p("kernel", .pair), strideParam, paddingParam], .tensor,
            "The column matrix (C·kh·kw, N·oh·ow): each column is one receptive field, so a convolution is one matrix product.",
            "im2col(ones(1, 2, 5, 5), kernel: 3, stride: 2, padding: 1)"
        ) { a in
            .tensor(
                try a.tensor("x").im2col(
                    kernel: a.pair("kernel").tuple, stride: a.pair("stride").tuple, padding: a.pair("padding").tuple))
        },
        B(
            "nn", "col2im",
            [
                p("cols", .tensorLike), p("shape", .shape, doc: "the image shape [N, C, H, W]"),
                p("kernel", .pair, label: true), strideParam, paddingParam,
            ], .tensor,
            "The adjoint of im2col: adds each column back into its receptive field (overlaps sum), giving [N, C, H, W].",
            "col2im(im2col(ones(1, 1, 3, 3), kernel: 2), [1, 1, 3, 3], kernel: 2)"
        ) { a in
            .tensor(
                try a.tensor("cols").col2im(
                    imageShape: try a.ints("shape") ?? [], kernel: a.pair("kernel").tuple,
                    stride: a.pair("stride").tuple,
                    padding: a.pair("padding").tuple))
        },
        B(
            "nn", "max_pool2d",
            [
                p("x", .tensorLike), p("kernel", .pair),
                p("stride", .pair, .none, label: true, doc: "the kernel size when nil"),
                paddingParam,
            ], .tensor,
            "Max pooling over kernel×kernel windows; backward goes to the max unit only.",
            "max_pool2d(randn(1, 1, 4, 4), 2)"
        ) { a in
            let k = try a.pair("kernel")
            return .tensor(
                try a.tensor("x").maxPool2d(
                    kernel: k.tuple, stride: (a.optPair("stride") ?? k).tuple, padding: a.pair("padding").tuple))
        },
        B(
            "nn", "avg_pool2d",
            [
                p("x", .tensorLike), p("kernel", .pair),
                p("stride", .pair, .none, label: true, doc: "the kernel size when nil"),
                paddingParam,
            ], .tensor,
            "Average pooling over kernel×kernel windows.", "avg_pool2d(ones(1, 1, 4, 4), 2)"
        ) { a in
            let k = try a.pair("kernel")
            return .tensor(
                try a.tensor("x").avgPool2d(
                    kernel: k.tuple, stride: (a.optPair("stride") ?? k).tuple, padding: a.pair("padding").tuple))
        },
        unaryNN(
            "global_avg_pool", [], "Averages each channel: (N, C, H, W) → (N, C, 1, 1).",
            "global_avg_pool(ones(1, 2, 3, 3))"
        ) { x, _ in
            try x.globalAvgPool()
        },
        B(
            "nn", "linear", [p("x", .tensorLike), p("w", .tensorLike), p("b", .tensorLike, .none)], .tensor,
            "x wᵀ + b with w of shape (out, in).", "linear(ones(2, 3), ones(4, 3), zeros(4))"
        ) { a in
            .tensor(try CNN.linear(a.tensor("x"), a.tensor("w"), a.optTensor("b")))
        },
        unaryNN("relu", [], "max(0, x) elementwise (NaN stays NaN).", "relu(tensor([-1.0, 2.0]))") { x, _ in
            try x.relu()
        },
        unaryNN("sigmoid", [], "1 / (1 + e^(−x)) elementwise.", "sigmoid(zeros(2))") { x, _ in try x.sigmoid() },
        unaryNN("tanh", [], "Hyperbolic tangent elementwise.", "tanh(zeros(2))") { x, _ in try x.tanh() },
        unaryNN("swish", [], "x · sigmoid(x).", "swish(ones(2))") { x, _ in try x.swish() },
        unaryNN(
            "leaky_relu", [p("slope", .float, .float(0.1), label: true)],
            "max(slope·x, x); the lecture's slope 0.1 (PyTorch's default is 0.01).",
            "leaky_relu(tensor([-10.0]), slope: 0.1)"
        ) { x, a in try x.leakyRelu(slope: a.double("slope")) },
        unaryNN(
            "elu", [p("alpha", .float, .float(1), label: true)], "x for x ≥ 0, α(eˣ − 1) below.",
            "elu(tensor([-1.0]), alpha: 1)"
        ) {
            x, a in try x.elu(alpha: a.double("alpha"))
        },
        B(
            "nn", "prelu", [p("x", .tensorLike), p("a", .tensorLike)], .tensor,
            "max(0, x) + a·min(0, x) with slopes a (one, or one per channel).",
            "prelu(tensor([-1.0, 1.0]), tensor([0.25]))"
        ) { a in
            .tensor(try a.tensor("x").prelu(a.tensor("a")))
        },
        unaryNN(
            "softmax", [p("dim", .int, .none, doc: "1, or 0 for a 1-D tensor, when nil")],
            "exp(x) / Σ exp(x) along dim (computed stably).", "softmax(tensor([[0.0, 0.0]]), dim: 1)"
        ) { x, a in
            try x.softmax(dim: a.optInt("dim") ?? (x.ndim == 1 ? 0 : 1))
        },
        unaryNN(
            "log_softmax", [p("dim", .int, .none, doc: "1, or 0 for a 1-D tensor, when nil")],
            "log(softmax(x)) along dim, computed stably.", "log_softmax(tensor([[0.0, 0.0]]))"
        ) { x, a in
            try x.logSoftmax(dim: a.optInt("dim") ?? (x.ndim == 1 ? 0 : 1))
        },
        B(
            "nn", "maxout", [p("x", .tensorLike), p("pieces", .int, .int(2), label: true)], .tensor,
            "Max over groups of `pieces` features: (N, F·k) → (N, F).", "maxout(ones(2, 4), pieces: 2)"
        ) { a in
            .tensor(try CNN.maxout(a.tensor("x"), pieces: a.int("pieces")))
        },
        B(
            "nn", "dropout",
            [p("x", .tensorLike), p("p", .float, .float(0.5)), p("training", .bool, .bool(true), label: true)], .tensor,
            "Zeroes elements with probability p and scales the rest by 1/(1 − p).",
            "dropout(ones(4), p: 0.5, training: false)"
        ) { a in
            .tensor(try a.tensor("x").dropout(p: a.double("p"), training: a.bool("training")))
        },
        B(
            "nn", "batch_norm",
            [
                p("x", .tensorLike), p("running_mean", .tensor, .none, label: true),
                p("running_var", .tensor, .none, label: true), p("weight", .tensor, .none, label: true),
                p("bias", .tensor, .none, label: true), p("training", .bool, .bool(true), label: true),
                p("momentum", .float, .float(0.1), label: true), p("eps", .float, .float(1e-5), label: true),
            ], .tensor,
            "Normalises each channel to zero mean and unit variance over the batch.", "batch_norm(randn(4, 3))"
        ) { a in
            .tensor(
                try CNN.batchNorm(
                    a.tensor("x"), runningMean: a.optTensor("running_mean"), runningVar: a.optTensor("running_var"),
                    weight: a.optTensor("weight"), bias: a.optTensor("bias"), training: a.bool("training"),
                    momentum: a.double("momentum"), eps: a.double("eps")))
        },
        B(
            "nn", "local_response_norm",
            [
                p("x", .tensorLike), p("size", .int), p("alpha", .float, .float(1e-4), label: true),
                p("beta", .float, .float(0.75), label: true), p("k", .float, .float(1), label: true),
            ], .tensor,
            "AlexNet's normalisation across neighbouring channels.", "local_response_norm(ones(1, 6, 2, 2), 5)"
        ) { a in
            .tensor(
                try CNN.localResponseNorm(
                    a.tensor("x"), size: a.int("size"), alpha: a.double("alpha"), beta: a.double("beta"),
                    k: a.double("k")))
        },
        B(
            "nn", "cross_entropy", [p("logits", .tensorLike), p("labels", .tensorLike)], .tensor,
            "Softmax cross-entropy, the mean over the batch; labels are class indices.",
            "cross_entropy(zeros(2, 3), tensor([0, 2]))"
        ) { a in
            .tensor(try CNN.crossEntropy(a.tensor("logits"), a.tensor("labels")))
        },
        B(
            "nn", "hinge_loss",
            [p("scores", .tensorLike), p("labels", .tensorLike), p("margin", .float, .float(1), label: true)], .tensor,
            "Multiclass SVM loss: mean over samples of Σ_{j≠y} max(0, s_j − s_y + margin).",
            "hinge_loss(tensor([[3.2, 5.1, -1.7]]), tensor([0]))"
        ) { a in
            .tensor(try CNN.hingeLoss(a.tensor("scores"), a.tensor("labels"), margin: a.double("margin")))
        },
        B(
            "nn", "mse_loss", [p("a", .tensorLike), p("b", .tensorLike)], .tensor, "Mean squared error.",
            "mse_loss(ones(2), zeros(2))"
        ) { a in
            .tensor(try CNN.mseLoss(a.tensor("a"), a.tensor("b")))
        },
        B(
            "nn", "accuracy", [p("logits", .tensorLike), p("labels", .tensorLike)], .float,
            "Fraction of rows whose argmax is the label, a Float in 0…1.", "accuracy(eye(3), tensor([0, 1, 2]))"
        ) { a in
            .float(try CNN.accuracy(a.tensor("logits"), a.tensor("labels")))
        },
        B(
            "nn", "out_size",
            [
                p("n", .number), p("kernel", .number, label: true), p("stride", .number, .int(1), label: true),
                p("padding", .number, .int(0), label: true),
            ], .float,
            "The lecture's (N − F + 2P)/S + 1 as a Float: 2.33… means the filter does not fit.",
            "out_size(7, kernel: 3, stride: 3)"
        ) { a in
            let n = try a.double("n"), f = try a.double("kernel"), s = try a.double("stride"),
                pd = try a.double("padding")
            guard s > 0 else { throw a.error(.value, "stride must be positive, got \(s)") }
            return .float((n - f + 2 * pd) / s + 1)
        },
    ]
}
