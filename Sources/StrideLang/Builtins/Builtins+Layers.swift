import CNN
import Foundation

extension Builtins {
    /// A layer constructor: `declare` adds its parameters and returns how to build it.
    static func layer(
        _ name: String, _ summary: String, _ example: String,
        _ declare: (inout Signature) -> @Sendable (inout Args) throws -> any Layer
    ) -> Builtin {
        B(.layer, name, .layer, summary, example) { d in
            let make = declare(&d)
            return { a in .layer(try make(&a)) }
        }
    }

    /// A parameter-free activation layer.
    static func activation(_ name: String, _ summary: String, _ kind: Activation.Kind) -> Builtin {
        layer(name, summary, "\(name)()") { _ in { _ in Activation(kind) } }
    }

    /// An activation layer with one parameter.
    static func activation<T: ArgumentType>(
        _ name: String, _ summary: String, _ param: String, _ type: T.Type, _ def: DefaultValue,
        _ kind: @escaping @Sendable (T.Output) -> Activation.Kind
    ) -> Builtin {
        layer(name, summary, "\(name)()") { d in
            let p = d.p(param, type, def)
            return { a in Activation(kind(try a[p])) }
        }
    }

    /// A pooling layer: a window, and a stride that is the window when not given.
    static func poolLayer(
        _ name: String, _ summary: String, ceilMode: Bool,
        _ make: @escaping @Sendable (IntPair, IntPair, IntPair, Bool) throws -> any Layer
    ) -> Builtin {
        layer(name, summary, "\(name)(2)") { d in
            let kernel = d.p("kernel", IntPair.self)
            let stride = d.label("stride", IntPair?.self, doc: "the kernel size when nil")
            let padding = d.padding()
            let ceil = ceilMode ? d.label("ceil_mode", Bool.self, false) : nil
            return { a in
                let k = try a[kernel]
                return try make(k, try a[stride] ?? k, try a[padding], try ceil.map { try a[$0] } ?? false)
            }
        }
    }

    static let layers: [Builtin] = [
        layer(
            "Conv2d",
            "Convolution layer: (N, cin, H, W) → (N, cout, (H − F + 2P)/S + 1, …); F·F·cin·cout + cout parameters.",
            "Conv2d(3, 10, kernel: 5, stride: 1, padding: 2)"
        ) { d in
            let cin = d.p("cin", Int.self), cout = d.p("cout", Int.self), kernel = d.label("kernel", IntPair.self)
            let stride = d.stride(), padding = d.padding(), dilation = d.label("dilation", IntPair.self, 1)
            let groups = d.label("groups", Int.self, 1), bias = d.label("bias", Bool.self, true)
            return { a in
                try Conv2d(
                    a[cin], a[cout], kernel: a[kernel], stride: a[stride], padding: a[padding], dilation: a[dilation],
                    groups: a[groups], bias: a[bias])
            }
        },
        layer("Linear", "Fully connected layer y = x Wᵀ + b; nin·nout + nout parameters.", "Linear(400, 120)") { d in
            let nin = d.p("nin", Int.self), nout = d.p("nout", Int.self), bias = d.label("bias", Bool.self, true)
            return { a in try Linear(a[nin], a[nout], bias: a[bias]) }
        },
        poolLayer("MaxPool2d", "Max pooling layer; (N − F)/S + 1 per side, no parameters.", ceilMode: true) {
            try MaxPool2d($0, stride: $1, padding: $2, ceilMode: $3)
        },
        poolLayer("AvgPool2d", "Average pooling layer.", ceilMode: false) { k, s, p, _ in
            try AvgPool2d(k, stride: s, padding: p)
        },
        layer("GlobalAvgPool", "Averages each channel to 1×1.", "GlobalAvgPool()") { _ in { _ in GlobalAvgPool() } },
        layer(
            "AdaptiveAvgPool2d", "Average pooling to a fixed output size (any input size).", "AdaptiveAvgPool2d(6)"
        ) { d in
            let size = d.p("size", IntPair.self)
            return { a in AdaptiveAvgPool2d(try a[size]) }
        },
        activation("ReLU", "max(0, x) layer.", .relu),
        activation(
            "LeakyReLU", "max(slope·x, x) layer (the lecture's 0.1 by default).", "slope", Double.self,
            .float(Activation.lectureLeakySlope)
        ) { .leakyRelu($0) },
        activation("ELU", "ELU layer.", "alpha", Double.self, 1) { .elu($0) },
        activation("Sigmoid", "Sigmoid layer.", .sigmoid),
        activation("Tanh", "tanh layer.", .tanh),
        activation("Swish", "x·sigmoid(x) layer.", .swish),
        activation("Softmax", "Softmax layer.", "dim", Int.self, 1) { .softmax($0) },
        activation("LogSoftmax", "Log-softmax layer.", "dim", Int.self, 1) { .logSoftmax($0) },
        layer("PReLU", "Parametric ReLU with learned slopes (one shared, or one per channel).", "PReLU(16)") { d in
            let channels = d.p("channels", Int.self, 1)
            let initial = d.label("init", Double.self, .float(PReLU.defaultInitial))
            return { a in try PReLU(a[channels], initial: a[initial]) }
        },
        layer("Maxout", "max over k linear pieces: max(w₁ᵀx + b₁, w₂ᵀx + b₂, …).", "Maxout(64, 32, pieces: 2)") { d in
            let nin = d.p("nin", Int.self), nout = d.p("nout", Int.self)
            let pieces = d.label("pieces", Int.self, .int(Maxout.defaultPieces))
            return { a in try Maxout(a[nin], a[nout], pieces: a[pieces]) }
        },
        layer("Flatten", "(N, C, H, W) → (N, C·H·W).", "Flatten()") { _ in { _ in Flatten() } },
        layer("Dropout", "Dropout layer (active in train mode only).", "Dropout(0.5)") { d in
            let p = d.p("p", Double.self, .float(Dropout.defaultP))
            return { a in try Dropout(a[p]) }
        },
        layer("BatchNorm2d", "Batch normalisation over channels with running statistics.", "BatchNorm2d(64)") { d in
            let c = d.p("c", Int.self)
            let eps = d.label("eps", Double.self, .float(BatchNorm2d.defaultEps))
            let momentum = d.label("momentum", Double.self, .float(BatchNorm2d.defaultMomentum))
            return { a in try BatchNorm2d(a[c], eps: a[eps], momentum: a[momentum]) }
        },
        layer("LocalResponseNorm", "AlexNet's local response normalisation.", "LocalResponseNorm(5)") { d in
            let size = d.p("size", Int.self)
            let (alpha, beta, k) = lrnParameters(&d)
            return { a in try LocalResponseNorm(a[size], alpha: a[alpha], beta: a[beta], k: a[k]) }
        },
        layer(
            "Sequential", "Layers applied in order; model[0] is the first. Functions and closures may be stages.",
            "Sequential(Conv2d(1, 6, kernel: 5), ReLU(), { x in x * 2 }, MaxPool2d(2))"
        ) { d in
            let stages = d.rest("layers", LayerStages.self, doc: "layers, functions or closures, in order")
            return { a in Sequential(try a[stages].flatMap { $0 }) }
        },
        layer(
            "Residual", "body(x) + shortcut(x) (identity by default), optionally followed by ReLU.",
            "Residual(Sequential(Conv2d(8, 8, kernel: 3, padding: 1), ReLU()))"
        ) { d in
            let body = d.p("body", LayerArgument.self)
            let shortcut = d.label("shortcut", LayerArgument?.self)
            let relu = d.label("relu", Bool.self, false)
            return { a in Residual(try a[body], shortcut: try a[shortcut], relu: try a[relu]) }
        },
        layer(
            "Concat",
            "Runs branches on one input and concatenates their outputs along channels (Inception, DenseNet).",
            "Concat(Conv2d(8, 4, kernel: 1), Conv2d(8, 4, kernel: 3, padding: 1))"
        ) { d in
            let branches = d.rest("branches", LayerStages.self)
            return { a in Concat(try a[branches].flatMap { $0 }) }
        },
        layer("SqueezeExcite", "Squeeze-and-Excitation channel attention (SENet).", "SqueezeExcite(64, reduction: 16)")
        {
            d in
            let c = d.p("c", Int.self)
            let reduction = d.label("reduction", Int.self, .int(SqueezeExcite.defaultReduction))
            return { a in try SqueezeExcite(a[c], reduction: a[reduction]) }
        },
        B(
            .layer, "paramcount", .int, "The number of parameters of a layer or model.",
            "paramcount(Conv2d(3, 10, kernel: 5))  // 760", receiver: .layer, property: true
        ) { d in
            let m = d.p("m", LayerArgument.self)
            return { a in .int(try a[m].parameterCount) }
        },
    ]

    /// A zoo model: `classes:` (default `defaultClasses`) and `declare`'s own parameters.
    static func zooModel(
        _ name: String, _ summary: String, _ defaultClasses: Int = 1000,
        _ declare: (inout Signature) -> @Sendable (Int, inout Args) throws -> any Layer
    ) -> Builtin {
        let input = name == "LeNet5" ? "1, 32, 32" : "3, 224, 224"
        return B(.zoo, name, .layer, summary, "summary(\(name)(), input: [1, \(input)])") { d in
            let classes = d.label("classes", Int.self, .int(defaultClasses))
            let make = declare(&d)
            return { a in .layer(try make(a[classes], &a)) }
        }
    }

    /// A zoo model with only `classes:`.
    static func zoo(
        _ name: String, _ summary: String, _ make: @escaping @Sendable (Int) throws -> any Layer
    )
        -> Builtin
    {
        zooModel(name, summary) { _ in { classes, _ in try make(classes) } }
    }

    static let zoo: [Builtin] = [
        zooModel(
            "LeNet5",
            "LeNet-5 (LeCun et al. 1998): 61,706 parameters for 10 classes; input 1×32×32 (padding: 2 for 28×28).", 10
        ) { d in
            let padding = d.label("padding", Int.self, 0)
            return { c, a in try CNN.LeNet5(classes: c, padding: a[padding]) }
        },
        zoo("AlexNet", "AlexNet (torchvision): 61,100,840 parameters for 1000 classes.") {
            try CNN.AlexNet(classes: $0)
        },
        zoo("ZFNet", "ZFNet (Zeiler & Fergus 2014): AlexNet with 7×7/2 first filters and 5×5/2 second.") {
            try CNN.ZFNet(classes: $0)
        },
        zoo("VGG11", "VGG-11 (configuration A): 132,863,336 parameters.") { try CNN.VGG11(classes: $0) },
        zoo("VGG16", "VGG-16 (configuration D): 138,357,544 parameters.") { try CNN.VGG16(classes: $0) },
        zoo("VGG19", "VGG-19 (configuration E): 143,667,240 parameters.") { try CNN.VGG19(classes: $0) },
        zoo("GoogLeNet", "GoogLeNet / Inception v1 (torchvision, no auxiliary heads): 6,624,904 parameters.") {
            try CNN.GoogLeNet(classes: $0)
        },
        zoo("ResNet18", "ResNet-18: 11,689,512 parameters; works on 32×32 inputs too.") {
            try CNN.ResNet18(classes: $0)
        },
        zoo("ResNet34", "ResNet-34: 21,797,672 parameters.") { try CNN.ResNet34(classes: $0) },
        zoo("ResNet50", "ResNet-50 (bottleneck blocks): 25,557,032 parameters.") { try CNN.ResNet50(classes: $0) },
        zoo("ResNeXt50", "ResNeXt-50 32×4d (grouped convolutions): 25,028,904 parameters.") {
            try CNN.ResNeXt50(classes: $0)
        },
        zoo("DenseNet121", "DenseNet-121 (growth 32): 7,978,856 parameters.") { try CNN.DenseNet121(classes: $0) },
        zoo("SEResNet50", "SE-ResNet-50 (squeeze-and-excitation, timm's layout): 28,088,024 parameters.") {
            try CNN.SEResNet50(classes: $0)
        },
    ]
}

/// Stages of a container: a layer, a function or closure (wrapped as a layer), or a list of them.
enum LayerStages: ArgumentType {
    static var valueType: ValueType { .layer }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> [any Layer] {
        guard case .list(let l) = v else {
            return [try at.context.layer(from: v, at.span, "an argument of \(at.builtin)")]
        }
        return try l.items.map { try at.context.layer(from: $0, at.span, "an element of \(at.builtin)") }
    }
}
