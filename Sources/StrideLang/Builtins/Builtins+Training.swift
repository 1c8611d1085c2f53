import CNN
import Render
import Foundation

/// What an optimiser trains: a model's parameters, a list of tensors, or one tensor.
enum ParametersArgument: ArgumentType {
    static var valueType: ValueType { .any }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> [Tensor] {
        switch v {
        case .layer(let l): return l.parameters
        case .list(let l): return try l.items.map { try toTensor($0, at.span, "parameters") }
        case .tensor(let t): return [t]
        default:
            throw StrideError(
                .type, "\(at.builtin): expects a model, a layer or a list of parameters, got \(v.typeName)",
                span: at.span)
        }
    }
}

extension Builtins {
    /// An optimiser: `declare` gets the parameters' handle and adds the hyperparameters.
    static func optimizer(
        _ name: String, _ summary: String, _ example: String,
        _ declare: (inout Signature, Arg<ParametersArgument>) -> @Sendable (inout Args) throws -> any Optimizer
    ) -> Builtin {
        B(.training, name, .optimizer, summary, example) { d in
            let model = d.p("model", ParametersArgument.self, doc: "a model, or a list of parameters")
            let make = declare(&d, model)
            return { a in .optimizer(try make(&a)) }
        }
    }

    /// An initialiser that fills a tensor in place.
    static func initializer(
        _ name: String, _ summary: String, _ fill: @escaping @Sendable (Tensor) throws -> Void
    )
        -> Builtin
    {
        B(.training, name, .tensor, summary, "\(name)(zeros(4, 3))") { d in
            let t = d.p("t", Tensor.self)
            return { a in
                let x = try a[t]
                try withNoGrad { try fill(x) }
                return .tensor(x)
            }
        }
    }

    static let training: [Builtin] = [
        optimizer("SGD", "Stochastic gradient descent (PyTorch's update).", "SGD(Linear(2, 2), lr: 0.1, momentum: 0.9)")
        { d, model in
            let lr = d.label("lr", Double.self), momentum = d.label("momentum", Double.self, 0)
            let decay = d.label("weight_decay", Double.self, 0), nesterov = d.label("nesterov", Bool.self, false)
            return { a in
                try SGD(a[model], lr: a[lr], momentum: a[momentum], weightDecay: a[decay], nesterov: a[nesterov])
            }
        },
        optimizer("Adam", "Adam with bias correction.", "Adam(Linear(2, 2), lr: 0.001)") { d, model in
            let lr = d.label("lr", Double.self, .float(Adam.defaults.lr))
            let beta1 = d.label("beta1", Double.self, .float(Adam.defaults.beta1))
            let beta2 = d.label("beta2", Double.self, .float(Adam.defaults.beta2))
            let eps = d.label("eps", Double.self, .float(Adam.defaults.eps))
            let decay = d.label("weight_decay", Double.self, 0)
            return { a in
                try Adam(a[model], lr: a[lr], beta1: a[beta1], beta2: a[beta2], eps: a[eps], weightDecay: a[decay])
            }
        },
        optimizer(
            "RMSprop", "RMSprop: steps scaled by a running average of squared gradients (PyTorch's update).",
            "RMSprop(Linear(2, 2), lr: 0.01)"
        ) { d, model in
            let lr = d.label("lr", Double.self, .float(RMSprop.defaults.lr))
            let alpha = d.label("alpha", Double.self, .float(RMSprop.defaults.alpha))
            let eps = d.label("eps", Double.self, .float(RMSprop.defaults.eps))
            let decay = d.label("weight_decay", Double.self, 0), momentum = d.label("momentum", Double.self, 0)
            return { a in
                try RMSprop(
                    a[model], lr: a[lr], alpha: a[alpha], eps: a[eps], weightDecay: a[decay], momentum: a[momentum])
            }
        },
        initializer("kaiming_normal", "He initialisation N(0, 2/fan_in), in place.") { try Init.kaimingNormal($0) },
        initializer("kaiming_uniform", "He uniform initialisation, in place.") { try Init.kaimingUniform($0) },
        initializer("xavier_uniform", "Glorot uniform U(±√(6/(fan_in + fan_out))), in place.") {
            try Init.xavierUniform($0)
        },
        B(
            .training, "batches", .generator, "Yields (xb, yb) mini-batches over the first dimension.",
            "batches(randn(10, 2), arange(10), size: 4, shuffle: true)"
        ) { d in
            let xArg = d.p("x", Tensor.self), yArg = d.p("y", Tensor?.self)
            let sizeArg = d.label("size", Int.self, 32), shuffleArg = d.label("shuffle", Bool.self, false)
            return { a in
                let (x, y, size, shuffle) = (try a[xArg], try a[yArg], try a[sizeArg], try a[shuffleArg])
                let probe = try BatchIterator(x, y, size: size, shuffle: false)
                return .generator(
                    Generator(typeName: "Batches", count: probe.count) {
                        var it = try BatchIterator(x, y, size: size, shuffle: shuffle)
                        return {
                            guard let (xb, yb) = try it.next() else { return nil }
                            return yb.map { .tuple(TupleRef([.tensor(xb), .tensor($0)])) } ?? .tensor(xb)
                        }
                    })
            }
        },
        B(
            .training, "confusion", .confusionMatrix,
            "The confusion matrix of a classifier's scores: a labelled heat map (true \\ predicted, counts in the "
                + "cells, row totals, per-class and overall accuracy). Fields: matrix (k×k Int64, [i, j] counts class i "
                + "predicted as j), classes, per_class (each class's accuracy, nil without samples), accuracy.",
            "confusion(eye(3), tensor([0, 1, 1]), classes: [\"cat\", \"dog\", \"fox\"])"
        ) { d in
            let logitsArg = d.p("logits", Tensor.self, doc: "scores, N × classes")
            let labelsArg = d.p("labels", Tensor.self, doc: "N true class indices")
            let classesArg = d.label(
                "classes", [String]?.self, doc: "the class names, in label order (default 0, 1, …)")
            return { a in
                let cm = try ConfusionMatrix(logits: a[logitsArg], labels: a[labelsArg], classes: a[classesArg])
                let perClass: [Value] = cm.perClass.map { $0.map(Value.float) ?? .none }
                let table = ConfusionTable.bundle(cm)
                return .rich(
                    RichValue(
                        typeName: "ConfusionMatrix", text: table.data["text/plain"] ?? "", bundle: table.data,
                        fields: [
                            ("matrix", .tensor(try cm.tensor())),
                            ("classes", .list(ListRef(cm.classes.map { .string($0) }))),
                            ("per_class", .list(ListRef(perClass))),
                            ("accuracy", cm.accuracy.map(Value.float) ?? .none),
                        ]))
            }
        },
        B(
            .training, "step_lr", .float, "Step decay: base · gamma^⌊epoch / step⌋ (PyTorch's StepLR).",
            "step_lr(0.1, 25, step: 10)"
        ) { d in
            let base = d.p("base", Double.self), epoch = d.p("epoch", Int.self)
            let step = d.label("step", Int.self), gamma = d.label("gamma", Double.self, 0.1)
            return { a in
                .float(try Transforms.stepLR(base: a[base], epoch: a[epoch], step: a[step], gamma: a[gamma]))
            }
        },
        B(
            .training, "cosine_lr", .float,
            "Cosine annealing from base to min over `epochs` (PyTorch's "
                + "CosineAnnealingLR).", "cosine_lr(0.1, 5, epochs: 20)"
        ) { d in
            let base = d.p("base", Double.self), epoch = d.p("epoch", Int.self)
            let epochs = d.label("epochs", Int.self), low = d.label("min", Double.self, 0)
            return { a in
                .float(try Transforms.cosineLR(base: a[base], epoch: a[epoch], epochs: a[epochs], min: a[low]))
            }
        },
    ]

    static let data: [Builtin] = [
        B(
            .data, "channel_stats", .tuple, "Per-channel mean and std of an (N, C, H, W) batch, as a tuple of lists.",
            "channel_stats(rand(4, 3, 2, 2))"
        ) { d in
            let x = d.p("x", Tensor.self)
            return { a in
                let (m, s) = try Transforms.channelStats(a[x])
                return .tuple(TupleRef([.list(ListRef(m.map { .float($0) })), .list(ListRef(s.map { .float($0) }))]))
            }
        },
        B(
            .data, "normalize", .tensor, "(x − mean) / std per channel (lists with one number per channel).",
            "normalize(ones(1, 1, 2, 2), mean: [0.5], std: [0.25])"
        ) { d in
            let x = d.p("x", Tensor.self)
            let mean = d.label("mean", [Double].self), std = d.label("std", [Double].self)
            return { a in .tensor(try Transforms.normalize(a[x], mean: a[mean], std: a[std])) }
        },
        B(
            .data, "random_crop", .tensor, "Augmentation: zero-pad, then crop a random size×size window per image.",
            "random_crop(ones(2, 1, 28, 28), 28, padding: 2)"
        ) { d in
            let x = d.p("x", Tensor.self), size = d.p("size", Int.self), padding = d.padding()
            return { a in .tensor(try Transforms.randomCrop(a[x], size: a[size], padding: a[padding].h)) }
        },
        B(
            .data, "hflip", .tensor, "Augmentation: flip each image left–right with probability p.",
            "hflip(ones(2, 1, 4, 4))"
        ) { d in
            let x = d.p("x", Tensor.self), p = d.label("p", Double.self, 0.5)
            return { a in .tensor(try Transforms.horizontalFlip(a[x], p: a[p])) }
        },
        B(
            .data, "shapes", .tuple,
            "A generated data set: (images, labels), n grey images n×1×size×size of circles, squares, triangles and "
                + "crosses and their labels 0–3 (Int64); .classes names them.",
            "shapes(100, seed: 0).classes  // [\"circle\", \"square\", \"triangle\", \"cross\"]"
        ) { d in
            let n = d.p("n", Int.self), size = d.label("size", Int.self, 28), seed = d.label("seed", Int.self, 0)
            return { a in
                let (x, y) = try ShapesDataset.generate(
                    count: a[n], size: a[size], seed: UInt64(bitPattern: Int64(try a[seed])))
                return dataSet(x, y, classes: ShapesDataset.classNames)
            }
        },
        B(
            .data, "mnist", .tuple,
            "Reads MNIST IDX files (train-images-idx3-ubyte[.gz] …) from dir: (images n×1×28×28 in [0, 1], labels n "
                + "(Int64)), with .classes \"0\" … \"9\".", "let (x, y) = mnist(\"data/mnist\")"
        ) { d in
            let dir = d.p("dir", String.self), train = d.label("train", Bool.self, true)
            return { a in
                let (x, y) = try MNIST.read(a[dir], train: a[train])
                return dataSet(x, y, classes: (0..<10).map(String.init))
            }
        },
    ]
}
