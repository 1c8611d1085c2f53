import CNN
import Foundation

extension Builtins {
    /// A function of one tensor that is also a tensor method (`relu(x)` and `x.relu()`); `declare` adds the
    /// parameters after `x`.
    static func unaryNN(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String,
        _ declare: (inout Signature) -> @Sendable (Tensor, inout Args) throws -> Tensor
    ) -> Builtin {
        B(.nn, name, torch: torch, .tensor, summary, example, receiver: .tensor) { d in
            let x = d.p("x", Tensor.self)
            let body = declare(&d)
            return { a in .tensor(try body(a[x], &a)) }
        }
    }

    /// `unaryNN` without parameters of its own.
    static func elementwiseNN(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String,
        _ f: @escaping @Sendable (Tensor) throws -> Tensor
    ) -> Builtin {
        unaryNN(name, torch: torch, summary, example) { _ in { x, _ in try f(x) } }
    }

    /// `max_pool2d` and `avg_pool2d`: a window, a stride (the window when nil) and padding.
    static func pool(
        _ name: String, torch: String? = nil, _ summary: String, _ example: String,
        _ f: @escaping @Sendable (Tensor, (Int, Int), (Int, Int), (Int, Int)) throws -> Tensor
    ) -> Builtin {
        B(.nn, name, torch: torch, .tensor, summary, example) { d in
            let x = d.p("x", Tensor.self)
            let kernel = d.p("kernel", IntPair.self)
            let stride = d.label("stride", IntPair?.self, doc: "the kernel size when nil")
            let padding = d.padding()
            return { a in
                let k = try a[kernel]
                return .tensor(try f(a[x], k.tuple, (try a[stride] ?? k).tuple, try a[padding].tuple))
            }
        }
    }

    static let nnFunctions: [Builtin] = [
        B(
            .nn, "conv2d", torch: "torch.nn.functional.conv2d", .tensor,
            "2-D convolution of x (N, C, H, W) with filters w (K, C/groups, kh, kw) and bias b (K) or nil; output "
                + "(N − F + 2P)/S + 1.", "conv2d(randn(1, 3, 7, 7), randn(2, 3, 3, 3), nil, stride: 2, padding: 1)"
        ) { d in
            let x = d.p("x", Tensor.self), w = d.p("w", Tensor.self), b = d.p("b", Tensor?.self)
            let stride = d.stride(), padding = d.padding(), dilation = d.label("dilation", IntPair.self, 1)
            let groups = d.label("groups", Int.self, 1)
            return { a in
                let options = Conv2dOptions(
                    stride: try a[stride].tuple, padding: try a[padding].tuple, dilation: try a[dilation].tuple,
                    groups: try a[groups])
                return .tensor(try a[x].conv2d(a[w], bias: a[b], options))
            }
        },
        B(
            .nn, "im2col", .tensor,
            "The column matrix (C·kh·kw, N·oh·ow): each column is one receptive field, so a convolution is one "
                + "matrix product.", "im2col(ones(1, 2, 5, 5), kernel: 3, stride: 2, padding: 1)"
        ) { d in
            let x = d.p("x", Tensor.self), kernel = d.p("kernel", IntPair.self)
            let stride = d.stride(), padding = d.padding()
            return { a in
                .tensor(try a[x].im2col(kernel: a[kernel].tuple, stride: a[stride].tuple, padding: a[padding].tuple))
            }
        },
        B(
            .nn, "col2im", .tensor,
            "The adjoint of im2col: adds each column back into its receptive field (overlaps sum), giving "
                + "[N, C, H, W].", "col2im(im2col(ones(1, 1, 3, 3), kernel: 2), [1, 1, 3, 3], kernel: 2)"
        ) { d in
            let cols = d.p("cols", Tensor.self)
            let shape = d.p("shape", [Int].self, doc: "the image shape [N, C, H, W]")
            let kernel = d.label("kernel", IntPair.self)
            let stride = d.stride(), padding = d.padding()
            return { a in
                .tensor(
                    try a[cols].col2im(
                        imageShape: a[shape], kernel: a[kernel].tuple, stride: a[stride].tuple,
                        padding: a[padding].tuple))
            }
        },
        pool(
            "max_pool2d", torch: "torch.nn.functional.max_pool2d",
            "Max pooling over kernel×kernel windows; backward goes to the max unit only.",
            "max_pool2d(randn(1, 1, 4, 4), 2)"
        ) { x, k, s, p in try x.maxPool2d(kernel: k, stride: s, padding: p) },
        pool(
            "avg_pool2d", torch: "torch.nn.functional.avg_pool2d", "Average pooling over kernel×kernel windows.",
            "avg_pool2d(ones(1, 1, 4, 4), 2)"
        ) {
            x, k, s, p in try x.avgPool2d(kernel: k, stride: s, padding: p)
        },
        elementwiseNN(
            "global_avg_pool", "Averages each channel: (N, C, H, W) → (N, C, 1, 1).",
            "global_avg_pool(ones(1, 2, 3, 3))"
        ) { try $0.globalAvgPool() },
        B(
            .nn, "linear", torch: "torch.nn.functional.linear", .tensor, "x wᵀ + b with w of shape (out, in).",
            "linear(ones(2, 3), ones(4, 3), zeros(4))"
        ) {
            d in
            let x = d.p("x", Tensor.self), w = d.p("w", Tensor.self), b = d.p("b", Tensor?.self)
            return { a in .tensor(try CNN.linear(a[x], a[w], a[b])) }
        },
        elementwiseNN(
            "relu", torch: "torch.relu", "max(0, x) elementwise (NaN stays NaN).", "relu(tensor([-1.0, 2.0]))"
        ) {
            try $0.relu()
        },
        elementwiseNN("sigmoid", torch: "torch.sigmoid", "1 / (1 + e^(−x)) elementwise.", "sigmoid(zeros(2))") {
            try $0.sigmoid()
        },
        elementwiseNN("tanh", torch: "torch.tanh", "Hyperbolic tangent elementwise.", "tanh(zeros(2))") {
            try $0.tanh()
        },
        elementwiseNN("swish", torch: "torch.nn.functional.silu", "x · sigmoid(x).", "swish(ones(2))") {
            try $0.swish()
        },
        unaryNN(
            "leaky_relu", torch: "torch.nn.functional.leaky_relu",
            "max(slope·x, x); the lecture's slope 0.1 (PyTorch's default is 0.01).",
            "leaky_relu(tensor([-10.0]), slope: 0.1)"
        ) { d in
            let slope = d.label("slope", Double.self, .float(Activation.lectureLeakySlope))
            return { x, a in try x.leakyRelu(slope: a[slope]) }
        },
        unaryNN(
            "elu", torch: "torch.nn.functional.elu", "x for x ≥ 0, α(eˣ − 1) below.", "elu(tensor([-1.0]), alpha: 1)"
        ) { d in
            let alpha = d.label("alpha", Double.self, 1)
            return { x, a in try x.elu(alpha: a[alpha]) }
        },
        B(
            .nn, "prelu", torch: "torch.nn.functional.prelu", .tensor,
            "max(0, x) + a·min(0, x) with slopes a (one, or one per channel).",
            "prelu(tensor([-1.0, 1.0]), tensor([0.25]))"
        ) { d in
            let x = d.p("x", Tensor.self), slopes = d.p("a", Tensor.self)
            return { a in .tensor(try a[x].prelu(a[slopes])) }
        },
        unaryNN(
            "softmax", torch: "torch.softmax", "exp(x) / Σ exp(x) along dim (computed stably).",
            "softmax(tensor([[0.0, 0.0]]), dim: 1)"
        ) { d in
            let dim = d.p("dim", Int?.self, doc: "1, or 0 for a 1-D tensor, when nil")
            return { x, a in try x.softmax(dim: a[dim] ?? (x.ndim == 1 ? 0 : 1)) }
        },
        unaryNN(
            "log_softmax", torch: "torch.log_softmax", "log(softmax(x)) along dim, computed stably.",
            "log_softmax(tensor([[0.0, 0.0]]))"
        ) {
            d in
            let dim = d.p("dim", Int?.self, doc: "1, or 0 for a 1-D tensor, when nil")
            return { x, a in try x.logSoftmax(dim: a[dim] ?? (x.ndim == 1 ? 0 : 1)) }
        },
        B(
            .nn, "maxout", .tensor, "Max over groups of `pieces` features: (N, F·k) → (N, F).",
            "maxout(ones(2, 4), pieces: 2)"
        ) { d in
            let x = d.p("x", Tensor.self), pieces = d.label("pieces", Int.self, .int(Maxout.defaultPieces))
            return { a in .tensor(try CNN.maxout(a[x], pieces: a[pieces])) }
        },
        B(
            .nn, "dropout", torch: "torch.nn.functional.dropout", .tensor,
            "Zeroes elements with probability p and scales the rest by 1/(1 − p).",
            "dropout(ones(4), p: 0.5, training: false)"
        ) { d in
            let x = d.p("x", Tensor.self), p = d.p("p", Double.self, .float(Dropout.defaultP))
            let training = d.label("training", Bool.self, true)
            return { a in .tensor(try a[x].dropout(p: a[p], training: a[training])) }
        },
        B(
            .nn, "batch_norm", torch: "torch.nn.functional.batch_norm", .tensor,
            "Normalises each channel to zero mean and unit variance over the batch.",
            "batch_norm(randn(4, 3))"
        ) { d in
            let x = d.p("x", Tensor.self)
            let mean = d.label("running_mean", Tensor?.self), variance = d.label("running_var", Tensor?.self)
            let weight = d.label("weight", Tensor?.self), bias = d.label("bias", Tensor?.self)
            let training = d.label("training", Bool.self, true)
            let momentum = d.label("momentum", Double.self, .float(BatchNorm2d.defaultMomentum))
            let eps = d.label("eps", Double.self, .float(BatchNorm2d.defaultEps))
            return { a in
                .tensor(
                    try CNN.batchNorm(
                        a[x], runningMean: a[mean], runningVar: a[variance], weight: a[weight], bias: a[bias],
                        training: a[training], momentum: a[momentum], eps: a[eps]))
            }
        },
        B(
            .nn, "local_response_norm", torch: "torch.nn.functional.local_response_norm", .tensor,
            "AlexNet's normalisation across neighbouring channels.",
            "local_response_norm(ones(1, 6, 2, 2), 5)"
        ) { d in
            let x = d.p("x", Tensor.self), size = d.p("size", Int.self)
            let (alpha, beta, k) = lrnParameters(&d)
            return { a in
                .tensor(try CNN.localResponseNorm(a[x], size: a[size], alpha: a[alpha], beta: a[beta], k: a[k]))
            }
        },
        B(
            .nn, "cross_entropy", torch: "torch.nn.functional.cross_entropy", .tensor,
            "Softmax cross-entropy, the mean over the batch; labels are class indices.",
            "cross_entropy(zeros(2, 3), tensor([0, 2]))"
        ) { d in
            let logits = d.p("logits", Tensor.self), labels = d.p("labels", Tensor.self)
            return { a in .tensor(try CNN.crossEntropy(a[logits], a[labels])) }
        },
        B(
            .nn, "hinge_loss", .tensor, "Multiclass SVM loss: mean over samples of Σ_{j≠y} max(0, s_j − s_y + margin).",
            "hinge_loss(tensor([[3.2, 5.1, -1.7]]), tensor([0]))"
        ) { d in
            let scores = d.p("scores", Tensor.self), labels = d.p("labels", Tensor.self)
            let margin = d.label("margin", Double.self, 1)
            return { a in .tensor(try CNN.hingeLoss(a[scores], a[labels], margin: a[margin])) }
        },
        B(
            .nn, "mse_loss", torch: "torch.nn.functional.mse_loss", .tensor, "Mean squared error.",
            "mse_loss(ones(2), zeros(2))"
        ) { d in
            let x = d.p("a", Tensor.self), y = d.p("b", Tensor.self)
            return { a in .tensor(try CNN.mseLoss(a[x], a[y])) }
        },
        B(
            .nn, "accuracy", .float, "Fraction of rows whose argmax is the label, a Float in 0…1.",
            "accuracy(eye(3), tensor([0, 1, 2]))"
        ) { d in
            let logits = d.p("logits", Tensor.self), labels = d.p("labels", Tensor.self)
            return { a in .float(try CNN.accuracy(a[logits], a[labels])) }
        },
        B(
            .nn, "out_size", .float,
            "The lecture's (N − F + 2P)/S + 1 as a Float: 2.33… means the filter does not fit.",
            "out_size(7, kernel: 3, stride: 3)"
        ) { d in
            let n = d.p("n", Number.self), kernel = d.label("kernel", Number.self)
            let stride = d.label("stride", Number.self, 1), padding = d.label("padding", Number.self, 0)
            return { a in
                let (size, f, s, p) = (
                    try a[n].double, try a[kernel].double, try a[stride].double, try a[padding].double
                )
                guard s > 0 else { throw a.error(.value, "stride must be positive, got \(s)") }
                return .float((size - f + 2 * p) / s + 1)
            }
        },
    ]

    /// Local response normalisation's alpha, beta and k, with `LocalResponseNorm`'s defaults.
    static func lrnParameters(_ d: inout Signature) -> (Arg<Double>, Arg<Double>, Arg<Double>) {
        let alpha = d.label("alpha", Double.self, .float(LocalResponseNorm.defaults.alpha))
        let beta = d.label("beta", Double.self, .float(LocalResponseNorm.defaults.beta))
        let k = d.label("k", Double.self, .float(LocalResponseNorm.defaults.k))
        return (alpha, beta, k)
    }
}
