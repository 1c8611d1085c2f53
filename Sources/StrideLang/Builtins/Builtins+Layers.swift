import CNN
import Foundation

extension Builtins {
    /// A parameter-free activation layer.
    static func act(
        _ name: String, _ params: [Param], _ summary: String,
        _ kind: @escaping @Sendable (Args) throws -> Activation.Kind
    )
        -> Builtin
    {
        B("layer", name, params, .layer, summary, "\(name)()") { a in .layer(Activation(try kind(a))) }
    }

    /// Layers (and functions and closures, as stages) from positional arguments or lists of them.
    static func layerList(_ a: Args) throws -> [any Layer] {
        var out: [any Layer] = []
        for (v, s) in a.variadic {
            if case .list(let l) = v {
                for item in l.items { out.append(try a.interp.layerValue(item, s, "an element of \(a.builtin.name)")) }
            } else {
                out.append(try a.interp.layerValue(v, s, "an argument of \(a.builtin.name)"))
            }
        }
        return out
    }

    static let layers: [Builtin] = [
        B(
            "layer", "Conv2d",
            [
                p("cin", .int), p("cout", .int), p("kernel", .pair, label: true), strideParam, paddingParam,
                p("dilation", .pair, .int(1), label: true), p("groups", .int, .int(1), label: true),
                p("bias", .bool, .bool(true), label: true),
            ], .layer,
            "Convolution layer: (N, cin, H, W) → (N, cout, (H − F + 2P)/S + 1, …); F·F·cin·cout + cout parameters.",
            "Conv2d(3, 10, kernel: 5, stride: 1, padding: 2)"
        ) { a in
            .layer(
                try Conv2d(
                    a.int("cin"), a.int("cout"), kernel: a.pair("kernel"), stride: a.pair("stride"),
                    padding: a.pair("padding"),
                    dilation: a.pair("dilation"), groups: a.int("groups"), bias: a.bool("bias")))
        },
        B(
            "layer", "Linear", [p("nin", .int), p("nout", .int), p("bias", .bool, .bool(true), label: true)], .layer,
            "Fully connected layer y = x Wᵀ + b; nin·nout + nout parameters.", "Linear(400, 120)"
        ) { a in
            .layer(try Linear(a.int("nin"), a.int("nout"), bias: a.bool("bias")))
        },
        B(
            "layer", "MaxPool2d",
            [
                p("kernel", .pair), p("stride", .pair, .none, label: true, doc: "the kernel size when nil"),
                paddingParam, p("ceil_mode", .bool, .bool(false), label: true),
            ], .layer,
            "Max pooling layer; (N − F)/S + 1 per side, no parameters.", "MaxPool2d(2)"
        ) { a in
            let k = try a.pair("kernel")
            return .layer(
                try MaxPool2d(
                    k, stride: a.optPair("stride") ?? k, padding: a.pair("padding"), ceilMode: a.bool("ceil_mode")))
        },
        B(
            "layer", "AvgPool2d", [p("kernel", .pair), p("stride", .pair, .none, label: true), paddingParam], .layer,
            "Average pooling layer.", "AvgPool2d(2)"
        ) { a in
            let k = try a.pair("kernel")
            return .layer(try AvgPool2d(k, stride: a.optPair("stride") ?? k, padding: a.pair("padding")))
        },
        B("layer", "GlobalAvgPool", [], .layer, "Averages each channel to 1×1.", "GlobalAvgPool()") { _ in
            .layer(GlobalAvgPool())
        },
        B(
            "layer", "AdaptiveAvgPool2d", [p("size", .pair)], .layer,
            "Average pooling to a fixed output size (any input size).",
            "AdaptiveAvgPool2d(6)"
        ) { a in
            .layer(AdaptiveAvgPool2d(try a.pair("size")))
        },
        act("ReLU", [], "max(0, x) layer.") { _ in .relu },
        act("LeakyReLU", [p("slope", .float, .float(0.1))], "max(slope·x, x) layer (the lecture's 0.1 by default).") {
            a in
            .leakyRelu(try a.double("slope"))
        },
        act("ELU", [p("alpha", .float, .float(1))], "ELU layer.") { a in .elu(try a.double("alpha")) },
        act("Sigmoid", [], "Sigmoid layer.") { _ in .sigmoid },
        act("Tanh", [], "tanh layer.") { _ in .tanh },
        act("Swish", [], "x·sigmoid(x) layer.") { _ in .swish },
        act("Softmax", [p("dim", .int, .int(1))], "Softmax layer.") { a in .softmax(try a.int("dim")) },
        act("LogSoftmax", [p("dim", .int, .int(1))], "Log-softmax layer.") { a in .logSoftmax(try a.int("dim")) },
        B(
            "layer", "PReLU", [p("channels", .int, .int(1)), p("init", .float, .float(0.25), label: true)], .layer,
            "Parametric ReLU with learned slopes (one shared, or one per channel).", "PReLU(16)"
        ) { a in
            .layer(try PReLU(a.int("channels"), initial: a.double("init")))
        },
        B(
            "layer", "Maxout", [p("nin", .int), p("nout", .int), p("pieces", .int, .int(2), label: true)], .layer,
            "max over k linear pieces: max(w₁ᵀx + b₁, w₂ᵀx + b₂, …).", "Maxout(64, 32, pieces: 2)"
        ) { a in
            .layer(try Maxout(a.int("nin"), a.int("nout"), pieces: a.int("pieces")))
        },
        B("layer", "Flatten", [], .layer, "(N, C, H, W) → (N, C·H·W).", "Flatten()") { _ in .layer(Flatten()) },
        B(
            "layer", "Dropout", [p("p", .float, .float(0.5))], .layer, "Dropout layer (active in train mode only).",
            "Dropout(0.5)"
        ) { a in
            .layer(try Dropout(a.double("p")))
        },
        B(
            "layer", "BatchNorm2d",
            [
                p("c", .int), p("eps", .float, .float(1e-5), label: true),
                p("momentum", .float, .float(0.1), label: true),
            ], .layer,
            "Batch normalisation over channels with running statistics.", "BatchNorm2d(64)"
        ) { a in
            .layer(try BatchNorm2d(a.int("c"), eps: a.double("eps"), momentum: a.double("momentum")))
        },
        B(
            "layer", "LocalResponseNorm",
            [
                p("size", .int), p("alpha", .float, .float(1e-4), label: true),
                p("beta", .float, .float(0.75), label: true), p("k", .float, .float(1), label: true),
            ], .layer,
            "AlexNet's local response normalisation.", "LocalResponseNorm(5)"
        ) { a in
            .layer(
                try LocalResponseNorm(a.int("size"), alpha: a.double("alpha"), beta: a.double("beta"), k: a.double("k"))
            )
        },
        B(
            "layer", "Sequential", [rest("layers", .layer, doc: "layers, functions or closures, in order")], .layer,
            "Layers applied in order; model[0] is the first. Functions and closures may be stages.",
            "Sequential(Conv2d(1, 6, kernel: 5), ReLU(), { x in x * 2 }, MaxPool2d(2))"
        ) { a in
            .layer(Sequential(try layerList(a)))
        },
        B(
            "layer", "Residual",
            [
                p("body", .layer), p("shortcut", .layer, .none, label: true),
                p("relu", .bool, .bool(false), label: true),
            ],
            .layer, "body(x) + shortcut(x) (identity by default), optionally followed by ReLU.",
            "Residual(Sequential(Conv2d(8, 8, kernel: 3, padding: 1), ReLU()))"
        ) { a in
            let shortcut: (any Layer)? = try a.optional("shortcut") == nil ? nil : try a.layer("shortcut")
            return .layer(Residual(try a.layer("body"), shortcut: shortcut, relu: try a.bool("relu")))
        },
        B(
            "layer", "Concat", [rest("branches", .layer)], .layer,
            "Runs branches on one input and concatenates their outputs along channels (Inception, DenseNet).",
            "Concat(Conv2d(8, 4, kernel: 1), Conv2d(8, 4, kernel: 3, padding: 1))"
        ) { a in
            .layer(Concat(try layerList(a)))
        },
        B(
            "layer", "SqueezeExcite", [p("c", .int), p("reduction", .int, .int(16), label: true)], .layer,
            "Squeeze-and-Excitation channel attention (SENet).", "SqueezeExcite(64, reduction: 16)"
        ) { a in
            .layer(try SqueezeExcite(a.int("c"), reduction: a.int("reduction")))
        },
        B(
            "layer", "paramcount", [p("m", .layer)], .int, "The number of parameters of a layer or model.",
            "paramcount(Conv2d(3, 10, kernel: 5))  // 760", receiver: .layer, property: true
        ) { a in
            .int(try a.layer("m").parameterCount)
        },
    ]

    static func zoo(
        _ name: String, _ summary: String, _ defaultClasses: Int = 1000, extra: [Param] = [],
        _ make: @escaping @Sendable (Int, Args) throws -> any Layer
    ) -> Builtin {
        B(
            "zoo", name, [p("classes", .int, .int(defaultClasses), label: true)] + extra, .layer, summary,
            "summary(\(name)(), input: [1, \(name == "LeNet5" ? "1, 32, 32" : "3, 224, 224")])"
        ) { a in
            .layer(try make(a.int("classes"), a))
        }
    }

    static let zoo: [Builtin] = [
        zoo(
            "LeNet5",
            "LeNet-5 (LeCun et al. 1998): 61,706 parameters for 10 classes; input 1×32×32 (padding: 2 for 28×28).", 10,
            extra: [p("padding", .int, .int(0), label: true)]
        ) { c, a in
            try CNN.LeNet5(classes: c, padding: a.int("padding"))
        },
        zoo("AlexNet", "AlexNet (torchvision): 61,100,840 parameters for 1000 classes.") { c, _ in
            try CNN.AlexNet(classes: c)
        },
        zoo("ZFNet", "ZFNet (Zeiler & Fergus 2014): AlexNet with 7×7/2 first filters and 5×5/2 second.") { c, _ in
            try CNN.ZFNet(classes: c)
        },
        zoo("VGG11", "VGG-11 (configuration A): 132,863,336 parameters.") { c, _ in try CNN.VGG11(classes: c) },
        zoo("VGG16", "VGG-16 (configuration D): 138,357,544 parameters.") { c, _ in try CNN.VGG16(classes: c) },
        zoo("VGG19", "VGG-19 (configuration E): 143,667,240 parameters.") { c, _ in try CNN.VGG19(classes: c) },
        zoo("GoogLeNet", "GoogLeNet / Inception v1 (torchvision, no auxiliary heads): 6,624,904 parameters.") { c, _ in
            try CNN.GoogLeNet(classes: c)
        },
        zoo("ResNet18", "ResNet-18: 11,689,512 parameters; works on 32×32 inputs too.") { c, _ in
            try CNN.ResNet18(classes: c)
        },
        zoo("ResNet34", "ResNet-34: 21,797,672 parameters.") { c, _ in try CNN.ResNet34(classes: c) },
        zoo("ResNet50", "ResNet-50 (bottleneck blocks): 25,557,032 parameters.") { c, _ in try CNN.ResNet50(classes: c)
        },
        zoo("ResNeXt50", "ResNeXt-50 32×4d (grouped convolutions): 25,028,904 parameters.") { c, _ in
            try CNN.ResNeXt50(classes: c)
        },
        zoo("DenseNet121", "DenseNet-121 (growth 32): 7,978,856 parameters.") { c, _ in try CNN.DenseNet121(classes: c)
        },
        zoo("SEResNet50", "SE-ResNet-50 (squeeze-and-excitation, timm's layout): 28,088,024 parameters.") { c, _ in
            try CNN.SEResNet50(classes: c)
        },
    ]
}
