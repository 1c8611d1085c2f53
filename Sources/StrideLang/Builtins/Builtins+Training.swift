import CNN
import Foundation

extension Builtins {
    /// The parameters an optimiser trains: a model's, or a list of tensors.
    static func params(_ a: Args) throws -> [Tensor] {
        let (v, s) = try a.required("model")
        switch v {
        case .layer(let l): return l.parameters
        case .list(let l): return try l.items.map { try a.interp.toTensor($0, s, "parameters") }
        case .tensor(let t): return [t]
        default: throw a.error(.type, "expects a model, a layer or a list of parameters, got \(v.typeName)", s)
        }
    }

    static let modelParam = p("model", .any, doc: "a model, or a list of parameters")
    static let weightDecayParam = p("weight_decay", .float, .float(0), label: true)

    static let training: [Builtin] = [
        B(
            "training", "SGD",
            [
                modelParam, p("lr", .float, label: true), p("momentum", .float, .float(0), label: true),
                weightDecayParam, p("nesterov", .bool, .bool(false), label: true),
            ], .optimizer,
            "Stochastic gradient descent (PyTorch's update).", "SGD(Linear(2, 2), lr: 0.1, momentum: 0.9)"
        ) { a in
            .optimizer(
                try SGD(
                    params(a), lr: a.double("lr"), momentum: a.double("momentum"),
                    weightDecay: a.double("weight_decay"),
                    nesterov: a.bool("nesterov")))
        },
        B(
            "training", "Adam",
            [
                modelParam, p("lr", .float, .float(1e-3), label: true), p("beta1", .float, .float(0.9), label: true),
                p("beta2", .float, .float(0.999), label: true), p("eps", .float, .float(1e-8), label: true),
                weightDecayParam,
            ],
            .optimizer, "Adam with bias correction.", "Adam(Linear(2, 2), lr: 0.001)"
        ) { a in
            .optimizer(
                try Adam(
                    params(a), lr: a.double("lr"), beta1: a.double("beta1"), beta2: a.double("beta2"),
                    eps: a.double("eps"),
                    weightDecay: a.double("weight_decay")))
        },
        B(
            "training", "RMSprop",
            [
                modelParam, p("lr", .float, .float(0.01), label: true), p("alpha", .float, .float(0.99), label: true),
                p("eps", .float, .float(1e-8), label: true), weightDecayParam,
                p("momentum", .float, .float(0), label: true),
            ],
            .optimizer, "RMSprop: steps scaled by a running average of squared gradients (PyTorch's update).",
            "RMSprop(Linear(2, 2), lr: 0.01)"
        ) { a in
            .optimizer(
                try RMSprop(
                    params(a), lr: a.double("lr"), alpha: a.double("alpha"), eps: a.double("eps"),
                    weightDecay: a.double("weight_decay"), momentum: a.double("momentum")))
        },
        B(
            "training", "kaiming_normal", [p("t", .tensor)], .tensor, "He initialisation N(0, 2/fan_in), in place.",
            "kaiming_normal(zeros(4, 3))"
        ) { a in
            let t = try a.tensor("t")
            try withNoGrad { try Init.kaimingNormal(t) }
            return .tensor(t)
        },
        B(
            "training", "kaiming_uniform", [p("t", .tensor)], .tensor, "He uniform initialisation, in place.",
            "kaiming_uniform(zeros(4, 3))"
        ) { a in
            let t = try a.tensor("t")
            try withNoGrad { try Init.kaimingUniform(t) }
            return .tensor(t)
        },
        B(
            "training", "xavier_uniform", [p("t", .tensor)], .tensor,
            "Glorot uniform U(±√(6/(fan_in + fan_out))), in place.",
            "xavier_uniform(zeros(4, 3))"
        ) { a in
            let t = try a.tensor("t")
            try withNoGrad { try Init.xavierUniform(t) }
            return .tensor(t)
        },
        B(
            "training", "batches",
            [
                p("x", .tensorLike), p("y", .tensorLike, .none), p("size", .int, .int(32), label: true),
                p("shuffle", .bool, .bool(false), label: true),
            ], .generator,
            "Yields (xb, yb) mini-batches over the first dimension.",
            "batches(randn(10, 2), arange(10), size: 4, shuffle: true)"
        ) { a in
            let x = try a.tensor("x"), y = try a.optTensor("y")
            let size = try a.int("size"), shuffle = try a.bool("shuffle")
            let probe = try BatchIterator(x, y, size: size, shuffle: false)
            return .generator(
                Generator(typeName: "Batches", count: probe.count) {
                    var it = try BatchIterator(x, y, size: size, shuffle: shuffle)
                    return {
                        guard let (xb, yb) = try it.next() else { return nil }
                        return yb.map { .tuple(TupleRef([.tensor(xb), .tensor($0)])) } ?? .tensor(xb)
                    }
                })
        },
        B(
            "training", "confusion", [p("logits", .tensorLike), p("labels", .tensorLike)], .tensor,
            "The confusion matrix (Int64): entry [i, j] counts samples of class i predicted as j.",
            "confusion(eye(3), tensor([0, 1, 1]))"
        ) { a in
            let logits = try a.tensor("logits"), labels = try a.tensor("labels")
            guard logits.ndim == 2, labels.count == logits.shape[0] else {
                throw a.error(
                    .shape,
                    "needs logits (N, classes) and N labels, got \(shapeString(logits.shape)) and \(shapeString(labels.shape))"
                )
            }
            let k = logits.shape[1]
            let pred = try logits.argmax(dim: 1)
            let cm = try Tensor.zeros([k, k], dtype: .int64)
            for (i, lv) in labels.values.enumerated() {
                let t = try Shape.integer(lv, "label", exact: true), pi = pred.storage.getInt(pred.offset + i)
                guard t >= 0 && t < k else {
                    throw a.error(.value, "label \(t) at position \(i) is not a class in 0..<\(k)")
                }
                cm.storage.set(t * k + pi, cm.storage.get(t * k + pi) + 1)
            }
            return .tensor(cm)
        },
        B(
            "training", "step_lr",
            [
                p("base", .float), p("epoch", .int), p("step", .int, label: true),
                p("gamma", .float, .float(0.1), label: true),
            ], .float,
            "Step decay: base · gamma^⌊epoch / step⌋ (PyTorch's StepLR).", "step_lr(0.1, 25, step: 10)"
        ) { a in
            .float(
                try Transforms.stepLR(
                    base: a.double("base"), epoch: a.int("epoch"), step: a.int("step"), gamma: a.double("gamma")))
        },
        B(
            "training", "cosine_lr",
            [
                p("base", .float), p("epoch", .int), p("epochs", .int, label: true),
                p("min", .float, .float(0), label: true),
            ], .float,
            "Cosine annealing from base to min over `epochs` (PyTorch's CosineAnnealingLR).",
            "cosine_lr(0.1, 5, epochs: 20)"
        ) { a in
            .float(
                try Transforms.cosineLR(
                    base: a.double("base"), epoch: a.int("epoch"), epochs: a.int("epochs"), min: a.double("min")))
        },
    ]

    static let data: [Builtin] = [
        B(
            "data", "channel_stats", [p("x", .tensorLike)], .tuple,
            "Per-channel mean and std of an (N, C, H, W) batch, as a tuple of lists.",
            "channel_stats(rand(4, 3, 2, 2))"
        ) { a in
            let (m, s) = try Transforms.channelStats(a.tensor("x"))
            return .tuple(TupleRef([.list(ListRef(m.map { .float($0) })), .list(ListRef(s.map { .float($0) }))]))
        },
        B(
            "data", "normalize",
            [p("x", .tensorLike), p("mean", .listOf(.float), label: true), p("std", .listOf(.float), label: true)],
            .tensor, "(x − mean) / std per channel (lists with one number per channel).",
            "normalize(ones(1, 1, 2, 2), mean: [0.5], std: [0.25])"
        ) { a in
            func nums(_ name: String) throws -> [Double] {
                let (v, s) = try a.required(name)
                switch v {
                case .list(let l): return try l.items.map { try a.interp.number($0, s) }
                case .int, .float: return [try a.interp.number(v, s)]
                default: throw a.error(.type, "'\(name)' must be a list of numbers, got \(v.typeName)", s)
                }
            }
            return .tensor(try Transforms.normalize(a.tensor("x"), mean: nums("mean"), std: nums("std")))
        },
        B(
            "data", "random_crop", [p("x", .tensorLike), p("size", .int), paddingParam], .tensor,
            "Augmentation: zero-pad, then crop a random size×size window per image.",
            "random_crop(ones(2, 1, 28, 28), 28, padding: 2)"
        ) { a in
            .tensor(try Transforms.randomCrop(a.tensor("x"), size: a.int("size"), padding: a.pair("padding").h))
        },
        B(
            "data", "hflip", [p("x", .tensorLike), p("p", .float, .float(0.5), label: true)], .tensor,
            "Augmentation: flip each image left–right with probability p.", "hflip(ones(2, 1, 4, 4))"
        ) { a in
            .tensor(try Transforms.horizontalFlip(a.tensor("x"), p: a.double("p")))
        },
        B(
            "data", "shapes",
            [p("n", .int), p("size", .int, .int(28), label: true), p("seed", .int, .int(0), label: true)], .tuple,
            "A generated data set: n grey images n×1×size×size of circles, squares, triangles and crosses, and their labels 0–3 (Int64).",
            "shapes(100, seed: 0)"
        ) { a in
            let (x, y) = try ShapesDataset.generate(
                count: a.int("n"), size: a.int("size"), seed: UInt64(bitPattern: Int64(a.int("seed"))))
            return .tuple(TupleRef([.tensor(x), .tensor(y)]))
        },
        B(
            "data", "mnist", [p("dir", .string), p("train", .bool, .bool(true), label: true)], .tuple,
            "Reads MNIST IDX files (train-images-idx3-ubyte[.gz] …) from dir: images n×1×28×28 in [0, 1], labels n (Int64).",
            "let (x, y) = mnist(\"data/mnist\")"
        ) { a in
            let dir = try a.string("dir"), train = try a.bool("train")
            let stem = train ? "train" : "t10k"
            func find(_ kind: String) throws -> String {
                let nd = kind == "images" ? 3 : 1
                for name in ["\(stem)-\(kind)-idx\(nd)-ubyte", "\(stem)-\(kind).idx\(nd)-ubyte"] {
                    for ext in ["", ".gz"] where FileManager.default.fileExists(atPath: "\(dir)/\(name)\(ext)") {
                        return "\(dir)/\(name)\(ext)"
                    }
                }
                throw CNNError.io(
                    "no MNIST \(kind) file for \(train ? "training" : "test") in \(dir) (expected \(stem)-\(kind)-idx\(nd)-ubyte or .gz)"
                )
            }
            let x = try IDX.read(find("images")), y = try IDX.read(find("labels"))
            guard x.ndim == 3 else {
                throw CNNError.shape("MNIST images should be n×28×28, got \(shapeString(x.shape))")
            }
            return .tuple(
                TupleRef([.tensor(try (x / 255).reshaped([x.shape[0], 1, x.shape[1], x.shape[2]])), .tensor(y)]))
        },
    ]

    static let io: [Builtin] = [
        B(
            "io", "load", [p("path", .string)], .any,
            "Reads a NumPy .npy (a tensor), an .npz or .safetensors (a dictionary of named tensors), a PyTorch "
                + "checkpoint (its dictionary; no code runs) or an MNIST IDX file.",
            "let sd = load(path)  // path: a .npz, .safetensors or .pth state dict"
        ) { a in
            let path = try a.string("path")
            if path.hasSuffix(".npy") { return .tensor(try NPY.read(path)) }
            let bytes = try StateDict.contents(path)
            guard let format = try? StateDict.format(of: bytes, name: path) else {
                return .tensor(try IDX.decode(Data(bytes), name: path))
            }
            switch format {
            case .torch: return value(try TorchCheckpoint.decode(bytes, name: path))
            case .npz:
                return .dict(DictRef(try NPZ.decode(Data(bytes), name: path).map { (.string($0.0), .tensor($0.1)) }))
            case .safetensors:
                return .dict(DictRef(try SafeTensors.decode(bytes, name: path).map { (.string($0.0), .tensor($0.1)) }))
            }
        },
        B(
            "io", "save", [p("value", .any), p("path", .string)], .none,
            "Writes a tensor as .npy, or a model's state (PyTorch state_dict names) or a dictionary of tensors as .npz "
                + "(.safetensors when the path ends so).",
            "save(Linear(2, 2), tempdir() + \"/linear.npz\")"
        ) { a in
            let (v, s) = try a.required("value")
            let path = try a.string("path")
            switch v {
            case .tensor(let t): try NPY.write(t.detach(), to: path)
            case .layer(let l): try StateDict.save(l, to: path)
            case .dict(let d):
                try StateDict.write(
                    d.pairs.compactMap { k, x in
                        guard case .string(let name) = k, case .tensor(let t) = x else { return nil }
                        return (name, t.detach())
                    }, to: path)
            default: throw a.error(.type, "saves a Tensor, a model or a dictionary of tensors, got \(v.typeName)", s)
            }
            return .none
        },
        B(
            "io", "tempdir", [], .string,
            "A directory of this session's own for scratch files; it and everything in it are removed when the "
                + "session ends (kernel shutdown, end of `stride run`).",
            "save(Linear(2, 2), tempdir() + \"/linear.npz\")"
        ) { a in
            guard let session = a.interp.session else { throw a.error(.io, "no session", a.span) }
            return .string(try session.scratchDirectory())
        },
        B(
            "io", "mkdir", [p("path", .string)], .string,
            "Creates a directory and any missing parents (as os.makedirs with exist_ok); returns the path.",
            "let folder = mkdir(tempdir() + \"/images/cats\")"
        ) { a in
            let path = try a.string("path")
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw a.error(.io, "cannot create the directory \(path): \(error.localizedDescription)", a.span)
            }
            return .string(path)
        },
        B(
            "io", "load_into", [p("model", .layer), p("path", .string)], .none,
            "Loads a state (PyTorch state_dict names) into a model in place: .npz, .safetensors, or a PyTorch "
                + "checkpoint saved by torch.save(model.state_dict(), path) (no code runs).",
            "load_into(model, path)  // path: a .npz, .safetensors or .pth state dict"
        ) { a in
            let l = try a.layer("model"), path = try a.string("path")
            try withNoGrad { _ = try StateDict.load(into: l, from: path) }
            return .none
        },
    ]
}
