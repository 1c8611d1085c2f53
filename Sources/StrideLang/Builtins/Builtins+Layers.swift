import CNN
import Foundation

extension Builtins {
    static func act(_ name: String, _ kind: @escaping @Sendable (inout Arguments) throws -> Activation.Kind, _ sig: String, _ summary: String) -> Builtin {
        B("layer", name, sig, summary, "\(name)()") { a, _ in .layer(Activation(try kind(&a))) }
    }
    static func layerList(_ a: inout Arguments, from: Int) throws -> [any Layer] {
        var out: [any Layer] = []
        for k in from..<a.count {
            guard let v = a.at(k) else { continue }
            switch v {
            case .layer(let l): out.append(l)
            case .list(let l):
                for item in l.items {
                    guard case .layer(let x) = item else { throw a.error(.type, "expects layers, got a \(item.typeName)", a.spanOf(k)) }
                    out.append(x)
                }
            default: throw a.error(.type, "expects layers, got a \(v.typeName)", a.spanOf(k))
            }
        }
        return out
    }

    static let layers: [Builtin] = [
        B("layer", "Conv2d", "Conv2d(cin, cout, kernel:, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true)", "Convolution layer: (N, cin, H, W) → (N, cout, (H − F + 2P)/S + 1, …); F·F·cin·cout + cout parameters.", "Conv2d(3, 10, kernel: 5, stride: 1, padding: 2)") { a, _ in
            .layer(try Conv2d(a.int(0, "cin"), a.int(1, "cout"), kernel: a.pair(2, "kernel"), stride: a.pair(nil, "stride", default: IntPair(1)),
                              padding: a.pair(nil, "padding", default: IntPair(0)), dilation: a.pair(nil, "dilation", default: IntPair(1)),
                              groups: a.int(nil, "groups", default: 1), bias: a.bool(nil, "bias", default: true)))
        },
        B("layer", "Linear", "Linear(nin, nout, bias: true)", "Fully connected layer y = x Wᵀ + b; nin·nout + nout parameters.", "Linear(400, 120)") { a, _ in
            .layer(try Linear(a.int(0, "nin"), a.int(1, "nout"), bias: a.bool(nil, "bias", default: true)))
        },
        B("layer", "MaxPool2d", "MaxPool2d(k, stride: k, padding: 0)", "Max pooling layer; (N − F)/S + 1 per side, no parameters.", "MaxPool2d(2)") { a, _ in
            let k = try a.pair(0, "kernel")
            return .layer(try MaxPool2d(k, stride: a.pair(nil, "stride", default: k), padding: a.pair(nil, "padding", default: IntPair(0))))
        },
        B("layer", "AvgPool2d", "AvgPool2d(k, stride: k, padding: 0)", "Average pooling layer.", "AvgPool2d(2)") { a, _ in
            let k = try a.pair(0, "kernel")
            return .layer(try AvgPool2d(k, stride: a.pair(nil, "stride", default: k), padding: a.pair(nil, "padding", default: IntPair(0))))
        },
        B("layer", "GlobalAvgPool", "GlobalAvgPool()", "Averages each channel to 1×1.", "GlobalAvgPool()") { _, _ in .layer(GlobalAvgPool()) },
        act("ReLU", { _ in .relu }, "ReLU()", "max(0, x) layer."),
        act("LeakyReLU", { a in .leakyRelu(try a.double(0, "slope", default: 0.1)) }, "LeakyReLU(slope: 0.1)", "max(slope·x, x) layer (the lecture's 0.1 by default)."),
        act("ELU", { a in .elu(try a.double(0, "alpha", default: 1)) }, "ELU(alpha: 1)", "ELU layer."),
        act("Sigmoid", { _ in .sigmoid }, "Sigmoid()", "Sigmoid layer."),
        act("Tanh", { _ in .tanh }, "Tanh()", "tanh layer."),
        act("Swish", { _ in .swish }, "Swish()", "x·sigmoid(x) layer."),
        act("Softmax", { a in .softmax(try a.int(0, "dim", default: 1)) }, "Softmax(dim: 1)", "Softmax layer."),
        act("LogSoftmax", { a in .logSoftmax(try a.int(0, "dim", default: 1)) }, "LogSoftmax(dim: 1)", "Log-softmax layer."),
        B("layer", "PReLU", "PReLU(channels: 1, init: 0.25)", "Parametric ReLU with learned slopes (one shared, or one per channel).", "PReLU(16)") { a, _ in
            .layer(try PReLU(a.int(0, "channels", default: 1), initial: a.double(nil, "init", default: 0.25)))
        },
        B("layer", "Maxout", "Maxout(nin, nout, pieces: 2)", "max over k linear pieces: max(w₁ᵀx + b₁, w₂ᵀx + b₂, …).", "Maxout(64, 32, pieces: 2)") { a, _ in
            .layer(try Maxout(a.int(0, "nin"), a.int(1, "nout"), pieces: a.int(nil, "pieces", default: 2)))
        },
        B("layer", "Flatten", "Flatten()", "(N, C, H, W) → (N, C·H·W).", "Flatten()") { _, _ in .layer(Flatten()) },
        B("layer", "Dropout", "Dropout(p: 0.5)", "Dropout layer (active in train mode only).", "Dropout(0.5)") { a, _ in .layer(try Dropout(a.double(0, "p", default: 0.5))) },
        B("layer", "BatchNorm2d", "BatchNorm2d(c, eps: 1e-5, momentum: 0.1)", "Batch normalisation over channels with running statistics.", "BatchNorm2d(64)") { a, _ in
            .layer(try BatchNorm2d(a.int(0, "c"), eps: a.double(nil, "eps", default: 1e-5), momentum: a.double(nil, "momentum", default: 0.1)))
        },
        B("layer", "LocalResponseNorm", "LocalResponseNorm(size, alpha: 1e-4, beta: 0.75, k: 1)", "AlexNet's local response normalisation.", "LocalResponseNorm(5)") { a, _ in
            .layer(try LocalResponseNorm(a.int(0, "size"), alpha: a.double(nil, "alpha", default: 1e-4), beta: a.double(nil, "beta", default: 0.75), k: a.double(nil, "k", default: 1)))
        },
        B("layer", "Sequential", "Sequential(l1, l2, …)", "Layers applied in order; model[0] is the first.", "Sequential(Conv2d(1, 6, kernel: 5), ReLU(), MaxPool2d(2))") { a, _ in
            .layer(Sequential(try layerList(&a, from: 0)))
        },
        B("layer", "Residual", "Residual(body, shortcut: nil, relu: false)", "body(x) + shortcut(x) (identity by default), optionally followed by ReLU.", "Residual(Sequential(Conv2d(64, 64, kernel: 3, padding: 1), ReLU()))") { a, _ in
            let body = try a.layer(0, "body")
            let sc: (any Layer)? = a.label("shortcut") == nil ? nil : try a.layer(nil, "shortcut")
            return .layer(Residual(body, shortcut: sc, relu: try a.bool(nil, "relu", default: false)))
        },
        B("layer", "Concat", "Concat(b1, b2, …)", "Runs branches on one input and concatenates their outputs along channels (Inception, DenseNet).", "Concat(Conv2d(64, 32, kernel: 1), Conv2d(64, 32, kernel: 3, padding: 1))") { a, _ in
            .layer(Concat(try layerList(&a, from: 0)))
        },
        B("layer", "SqueezeExcite", "SqueezeExcite(c, reduction: 16)", "Squeeze-and-Excitation channel attention (SENet).", "SqueezeExcite(64, reduction: 16)") { a, _ in
            .layer(try SqueezeExcite(a.int(0, "c"), reduction: a.int(nil, "reduction", default: 16)))
        },
        B("layer", "AdaptiveAvgPool2d", "AdaptiveAvgPool2d(size)", "Average pooling to a fixed output size (any input size).", "AdaptiveAvgPool2d(6)") { a, _ in
            .layer(AdaptiveAvgPool2d(try a.pair(0, "size")))
        },
        zoo("LeNet5", "LeNet-5 (LeCun et al. 1998): 61,706 parameters for 10 classes; input 1×32×32 (padding: 2 for 28×28).", 10) { c, a in try CNN.LeNet5(classes: c, padding: a.int(nil, "padding", default: 0)) },
        zoo("AlexNet", "AlexNet (torchvision): 61,100,840 parameters for 1000 classes.") { c, _ in try CNN.AlexNet(classes: c) },
        zoo("ZFNet", "ZFNet (Zeiler & Fergus 2014): AlexNet with 7×7/2 first filters and 5×5/2 second.") { c, _ in try CNN.ZFNet(classes: c) },
        zoo("VGG11", "VGG-11 (configuration A): 132,863,336 parameters.") { c, _ in try CNN.VGG11(classes: c) },
        zoo("VGG16", "VGG-16 (configuration D): 138,357,544 parameters.") { c, _ in try CNN.VGG16(classes: c) },
        zoo("VGG19", "VGG-19 (configuration E): 143,667,240 parameters.") { c, _ in try CNN.VGG19(classes: c) },
        zoo("GoogLeNet", "GoogLeNet / Inception v1 (torchvision, no auxiliary heads): 6,624,904 parameters.") { c, _ in try CNN.GoogLeNet(classes: c) },
        zoo("ResNet18", "ResNet-18: 11,689,512 parameters; works on 32×32 inputs too.") { c, _ in try CNN.ResNet18(classes: c) },
        zoo("ResNet34", "ResNet-34: 21,797,672 parameters.") { c, _ in try CNN.ResNet34(classes: c) },
        zoo("ResNet50", "ResNet-50 (bottleneck blocks): 25,557,032 parameters.") { c, _ in try CNN.ResNet50(classes: c) },
        zoo("ResNeXt50", "ResNeXt-50 32×4d (grouped convolutions): 25,028,904 parameters.") { c, _ in try CNN.ResNeXt50(classes: c) },
        zoo("DenseNet121", "DenseNet-121 (growth 32): 7,978,856 parameters.") { c, _ in try CNN.DenseNet121(classes: c) },
        zoo("SEResNet50", "SE-ResNet-50 (squeeze-and-excitation, timm's layout): 28,088,024 parameters.") { c, _ in try CNN.SEResNet50(classes: c) },
        B("layer", "paramcount", "paramcount(m)", "The number of parameters of a layer or model.", "paramcount(Conv2d(3, 10, kernel: 5))  // 760") { a, _ in
            .int(try a.layer(0, "m").parameterCount)
        },
    ]

    static let training: [Builtin] = [
        B("training", "SGD", "SGD(model, lr:, momentum: 0, weight_decay: 0, nesterov: false)", "Stochastic gradient descent (PyTorch's update).", "let opt = SGD(model, lr: 0.1, momentum: 0.9)") { a, i in
            try SGD(params(&a, i), lr: a.double(nil, "lr"), momentum: a.double(nil, "momentum", default: 0), weightDecay: a.double(nil, "weight_decay", default: 0), nesterov: a.bool(nil, "nesterov", default: false)).asValue
        },
        B("training", "Adam", "Adam(model, lr: 0.001, weight_decay: 0)", "Adam with bias correction.", "let opt = Adam(model, lr: 0.001)") { a, i in
            try Adam(params(&a, i), lr: a.double(nil, "lr", default: 1e-3), beta1: a.double(nil, "beta1", default: 0.9), beta2: a.double(nil, "beta2", default: 0.999), weightDecay: a.double(nil, "weight_decay", default: 0)).asValue
        },
        B("training", "kaiming_normal", "kaiming_normal(t)", "He initialisation N(0, 2/fan_in), in place.", "kaiming_normal(conv.weight)") { a, _ in
            let t = try a.tensor(0, "t"); try withNoGrad { try Init.kaimingNormal(t) }; return .tensor(t)
        },
        B("training", "kaiming_uniform", "kaiming_uniform(t)", "He uniform initialisation, in place.", "kaiming_uniform(fc.weight)") { a, _ in
            let t = try a.tensor(0, "t"); try Init.kaimingUniform(t); return .tensor(t)
        },
        B("training", "xavier_uniform", "xavier_uniform(t)", "Glorot uniform U(±√(6/(fan_in + fan_out))), in place.", "xavier_uniform(fc.weight)") { a, _ in
            let t = try a.tensor(0, "t"); try Init.xavierUniform(t); return .tensor(t)
        },
        B("training", "batches", "batches(x, y, size:, shuffle: false)", "Yields (xb, yb) mini-batches over the first dimension.", "for (xb, yb) in batches(x, y, size: 64, shuffle: true) { … }") { a, _ in
            let x = try a.tensor(0, "x"), y = try a.optTensor(1, "y")
            let size = try a.int(nil, "size", default: 32), shuffle = try a.bool(nil, "shuffle", default: false)
            let probe = try BatchIterator(x, y, size: size, shuffle: false)
            return .generator(Generator(typeName: "Batches", count: probe.count) {
                var it = try BatchIterator(x, y, size: size, shuffle: shuffle)
                return {
                    guard let (xb, yb) = try it.next() else { return nil }
                    return yb.map { .tuple([.tensor(xb), .tensor($0)]) } ?? .tensor(xb)
                }
            })
        },
        B("training", "confusion", "confusion(logits, labels)", "The confusion matrix: entry [i, j] counts samples of class i predicted as j.", "show(confusion(model(xt), yt))") { a, _ in
            let logits = try a.tensor(0, "logits"), labels = try a.tensor(1, "labels")
            guard logits.ndim == 2, labels.count == logits.shape[0] else {
                throw a.error(.shape, "needs logits (N, classes) and N labels, got \(shapeString(logits.shape)) and \(shapeString(labels.shape))")
            }
            let k = logits.shape[1]
            let pred = try logits.argmax(dim: 1)
            let cm = try Tensor.zeros([k, k])
            for i in 0..<labels.count {
                let t = try Shape.integer(labels.values[i], "label"), p = pred.storage.getInt(pred.offset + i)
                guard t >= 0 && t < k else { throw a.error(.value, "label \(t) at position \(i) is not a class in 0..<\(k)") }
                cm.storage.set(t * k + p, cm.storage.get(t * k + p) + 1)
            }
            return .tensor(cm)
        },
        B("data", "channel_stats", "channel_stats(x)", "Per-channel mean and std of an (N, C, H, W) batch, as a tuple of lists.", "let (m, s) = channel_stats(x)") { a, _ in
            let (m, s) = try Transforms.channelStats(a.tensor(0, "x"))
            return .tuple([.list(ListRef(m.map { .float($0) })), .list(ListRef(s.map { .float($0) }))])
        },
        B("data", "normalize", "normalize(x, mean:, std:)", "(x − mean) / std per channel (lists with one number per channel).", "normalize(x, mean: [0.5], std: [0.25])") { a, i in
            let x = try a.tensor(0, "x")
            func nums(_ name: String) throws -> [Double] {
                let v = try a.value(nil, name)
                switch v {
                case .list(let l): return try l.items.map { try i.number($0, a.span) }
                case .int, .float: return [try i.number(v, a.span)]
                default: throw a.error(.type, "'\(name)' must be a list of numbers, got \(v.typeName)")
                }
            }
            return .tensor(try Transforms.normalize(x, mean: nums("mean"), std: nums("std")))
        },
        B("data", "random_crop", "random_crop(x, size, padding: 0)", "Augmentation: zero-pad, then crop a random size×size window per image.", "random_crop(xb, 28, padding: 2)") { a, _ in
            .tensor(try Transforms.randomCrop(a.tensor(0, "x"), size: a.int(1, "size"), padding: a.int(nil, "padding", default: 0)))
        },
        B("data", "hflip", "hflip(x, p: 0.5)", "Augmentation: flip each image left–right with probability p.", "hflip(xb)") { a, _ in
            .tensor(try Transforms.horizontalFlip(a.tensor(0, "x"), p: a.double(nil, "p", default: 0.5)))
        },
        B("training", "step_lr", "step_lr(base, epoch, step:, gamma: 0.1)", "Step decay: base · gamma^⌊epoch / step⌋ (PyTorch's StepLR).", "opt.lr = step_lr(0.1, epoch, step: 10)") { a, _ in
            .float(try Transforms.stepLR(base: a.double(0, "base"), epoch: a.int(1, "epoch"), step: a.int(nil, "step"), gamma: a.double(nil, "gamma", default: 0.1)))
        },
        B("training", "cosine_lr", "cosine_lr(base, epoch, epochs:, min: 0)", "Cosine annealing from base to min over `epochs` (PyTorch's CosineAnnealingLR).", "opt.lr = cosine_lr(0.1, epoch, epochs: 20)") { a, _ in
            .float(try Transforms.cosineLR(base: a.double(0, "base"), epoch: a.int(1, "epoch"), epochs: a.int(nil, "epochs"), min: a.double(nil, "min", default: 0)))
        },
        B("data", "shapes", "shapes(n, size: 28, seed: 0)", "A generated data set: n grey images n×1×size×size of circles, squares, triangles and crosses, and their labels 0–3.", "let (x, y) = shapes(1000, seed: 0)") { a, _ in
            let (x, y) = try ShapesDataset.generate(count: a.int(0, "n"), size: a.int(nil, "size", default: 28), seed: UInt64(bitPattern: Int64(a.int(nil, "seed", default: 0))))
            return .tuple([.tensor(x), .tensor(y)])
        },
        B("data", "mnist", "mnist(dir, train: true)", "Reads MNIST IDX files (train-images-idx3-ubyte[.gz] …) from dir: images n×1×28×28 in [0, 1], labels n.", "let (x, y) = mnist(\"data/mnist\")") { a, _ in
            let dir = try a.string(0, "dir"), train = try a.bool(nil, "train", default: true)
            let stem = train ? "train" : "t10k"
            func find(_ kind: String) throws -> String {
                for name in ["\(stem)-\(kind)-idx\(kind == "images" ? 3 : 1)-ubyte", "\(stem)-\(kind).idx\(kind == "images" ? 3 : 1)-ubyte"] {
                    for ext in ["", ".gz"] where FileManager.default.fileExists(atPath: "\(dir)/\(name)\(ext)") { return "\(dir)/\(name)\(ext)" }
                }
                throw CNNError.io("no MNIST \(kind) file for \(train ? "training" : "test") in \(dir) (expected \(stem)-\(kind)-idx\(kind == "images" ? 3 : 1)-ubyte or .gz)")
            }
            let x = try IDX.read(find("images")), y = try IDX.read(find("labels"))
            guard x.ndim == 3 else { throw CNNError.shape("MNIST images should be n×28×28, got \(shapeString(x.shape))") }
            return .tuple([.tensor(try (x / 255).reshaped([x.shape[0], 1, x.shape[1], x.shape[2]])), .tensor(y)])
        },
    ]

    static func zoo(_ name: String, _ summary: String, _ defaultClasses: Int = 1000,
                    _ make: @escaping @Sendable (Int, inout Arguments) throws -> any Layer) -> Builtin {
        B("zoo", name, "\(name)(classes: \(defaultClasses))", summary, "summary(\(name)(), input: [1, \(name == "LeNet5" ? "1, 32, 32" : "3, 224, 224")])") { a, _ in
            .layer(try make(a.int(nil, "classes", default: defaultClasses), &a))
        }
    }

    static func params(_ a: inout Arguments, _ i: Interpreter) throws -> [Tensor] {
        let v = try a.value(0, "model")
        switch v {
        case .layer(let l): return l.parameters
        case .list(let l): return try l.items.map { try i.toTensor($0, a.spanOf(0), "parameters") }
        case .tensor(let t): return [t]
        default: throw a.error(.type, "expects a model, a layer or a list of parameters, got \(v.typeName)", a.spanOf(0))
        }
    }

    static let io: [Builtin] = [
        B("io", "load", "load(path)", "Reads a NumPy .npy (a tensor), an .npz (a record of named tensors) or an MNIST IDX file.", "let w = load(\"w.npy\")") { a, _ in
            let p = try a.string(0, "path")
            if p.hasSuffix(".npz") { return .record(RecordRef(try NPZ.read(p).map { ($0.0, .tensor($0.1)) })) }
            if p.hasSuffix(".npy") { return .tensor(try NPY.read(p)) }
            return .tensor(try IDX.read(p))
        },
        B("io", "save", "save(value, path)", "Writes a tensor as .npy, or a model's state (PyTorch state_dict names) as .npz.", "save(model, \"m.npz\")") { a, _ in
            let v = try a.value(0, "value"), p = try a.string(1, "path")
            switch v {
            case .tensor(let t): try NPY.write(t.detach(), to: p)
            case .layer(let l): try StateDict.save(l, to: p)
            case .record(let r): try NPZ.write(r.items.compactMap { if case .tensor(let t) = $0.1 { return ($0.0, t) }; return nil }, to: p)
            default: throw a.error(.type, "saves a Tensor or a model, got \(v.typeName)")
            }
            return .none
        },
        B("io", "load_into", "load_into(model, path)", "Loads an .npz state (PyTorch state_dict names) into a model in place.", "load_into(model, \"m.npz\")") { a, _ in
            let l = try a.layer(0, "model"), p = try a.string(1, "path")
            try withNoGrad { _ = try StateDict.load(into: l, from: p) }
            return .none
        },
    ]
}

extension Optimizer {
    var asValue: Value { .optimizer(self) }
}
