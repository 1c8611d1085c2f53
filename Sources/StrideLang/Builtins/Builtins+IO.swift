import CNN
import Foundation
import Render

/// Files: tensors and state, images, image folders, CIFAR-10, scratch directories.
extension Builtins {
    static let io: [Builtin] = [
        B(
            .io, "load", .any,
            "Reads a NumPy .npy (a tensor), an .npz or .safetensors (a dictionary of named tensors), a PyTorch "
                + "checkpoint (its dictionary; no code runs) or an MNIST IDX file.",
            "let sd = load(path)  // path: a .npz, .safetensors or .pth state dict"
        ) { d in
            let path = d.p("path", String.self)
            return { a in
                switch try StateDict.open(a[path]) {
                case .tensor(let t): return .tensor(t)
                case .named(let items): return .dict(DictRef(items.map { (.string($0.0), .tensor($0.1)) }))
                case .object(let o): return value(o)
                }
            }
        },
        B(
            .io, "save", .none,
            "Writes a tensor, a dictionary of tensors or a model's state (PyTorch state_dict names) in the format the "
                + "path's extension names: .npy (a tensor), .npz, .safetensors (a lone tensor under the key \"tensor\"), "
                + ".pth or .pt (a PyTorch checkpoint: torch.load(path, weights_only=True) reads it).",
            "save(Linear(2, 2), tempdir() + \"/linear.pth\")"
        ) { d in
            let value = d.p("value", Value.self), pathArg = d.p("path", String.self)
            return { a in
                let (v, s) = a.raw(value)
                let path = try a[pathArg]
                let contents: StateDict.Contents
                switch v {
                case .tensor(let t): contents = .tensor(t)
                case .layer(let l): contents = .named(l.stateDict)
                case .dict(let dict):
                    contents = .named(
                        try dict.pairs.map { k, x in
                            guard case .string(let name) = k, case .tensor(let t) = x else {
                                throw a.error(
                                    .type,
                                    "saves a dictionary of tensors by name; the entry \(k.repr) holds a \(x.typeName)",
                                    s)
                            }
                            return (name, t)
                        })
                default:
                    throw a.error(.type, "saves a Tensor, a model or a dictionary of tensors, got \(v.typeName)", s)
                }
                try StateDict.save(contents, to: path)
                return .none
            }
        },
        B(
            .io, "tempdir", .string,
            "A directory of this session's own for scratch files; it and everything in it are removed when the "
                + "session ends (kernel shutdown, end of `stride run`).",
            "save(Linear(2, 2), tempdir() + \"/linear.npz\")"
        ) { _ in { a in .string(try a.context.scratchDirectory()) } },
        B(
            .io, "mkdir", .string,
            "Creates a directory and any missing parents (as os.makedirs with exist_ok); returns the path.",
            "let folder = mkdir(tempdir() + \"/images/cats\")"
        ) { d in
            let pathArg = d.p("path", String.self)
            return { a in
                let path = try a[pathArg]
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch {
                    throw a.error(.io, "cannot create the directory \(path): \(error.localizedDescription)", a.span)
                }
                return .string(path)
            }
        },
        B(
            .io, "load_into", .none,
            "Loads a state (PyTorch state_dict names) into a model in place: .npz, .safetensors, or a PyTorch "
                + "checkpoint saved by torch.save(model.state_dict(), path) (no code runs).",
            "load_into(model, path)  // path: a .npz, .safetensors or .pth state dict"
        ) { d in
            let model = d.p("model", LayerArgument.self), path = d.p("path", String.self)
            return { a in
                let (l, p) = (try a[model], try a[path])
                try withNoGrad { _ = try StateDict.load(into: l, from: p) }
                return .none
            }
        },
    ]

    static let images: [Builtin] = [
        B(
            .io, "load_image", .tensor,
            "Reads a PNG (8/16-bit, grey, RGB, RGBA, palette) or JPEG file as a C×H×W Float32 tensor in [0, 1].",
            "save_image(rand(3, 4, 4), tempdir() + \"/x.png\"); load_image(tempdir() + \"/x.png\").shape"
        ) { d in
            let path = d.p("path", String.self)
            return { a in .tensor(try ImageFile.read(a[path])) }
        },
        B(
            .io, "save_image", .none,
            "Writes a C×H×W (1–4 channels) or H×W tensor with values in [0, 1] as an 8-bit PNG.",
            "save_image(rand(3, 8, 8), tempdir() + \"/noise.png\")"
        ) { d in
            let image = d.p("image", Tensor.self), path = d.p("path", String.self)
            return { a in
                try ImageFile.writePNG(a[image], to: a[path])
                return .none
            }
        },
        B(
            .data, "resize", .tensor,
            "Bilinear resize of a C×H×W image or N×C×H×W batch, antialiased when shrinking (torchvision's Resize).",
            "resize(rand(3, 64, 48), size: 32).shape  // [3, 42, 32]"
        ) { d in
            let image = d.p("image", Tensor.self)
            let size = d.label("size", ImageSize.self, doc: "the shorter side (aspect kept), or [height, width]")
            let antialias = d.label("antialias", Bool.self, true)
            return { a in .tensor(try ImageResize.resize(a[image], size: a[size], antialias: a[antialias])) }
        },
        B(
            .data, "center_crop", .tensor,
            "The middle size×size (or [height, width]) window of an image or batch (torchvision's CenterCrop).",
            "center_crop(rand(3, 10, 10), 8).shape"
        ) { d in
            let image = d.p("image", Tensor.self), size = d.p("size", IntPair.self)
            return { a in
                let s = try a[size]
                return .tensor(try ImageResize.centerCrop(a[image], size: [s.h, s.w]))
            }
        },
        B(
            .data, "image_folder", .tuple,
            "Loads dir/<class>/*.png|jpg as (images N×3×H×W, labels, classes), classes sorted by name as "
                + "torchvision's ImageFolder; grey, RGBA and palette images become RGB; a progress bar for large "
                + "folders.",
            "let (images, labels, classes) = image_folder(dir, size: 32)  // dir: class folders of images"
        ) { d in
            let dir = d.p("dir", String.self)
            let size = d.label(
                "size", ImageSize?.self,
                doc: "n: the shorter side resized to n, then the middle n×n; [h, w]: exactly h×w (torchvision)")
            return { a in
                let requested = try a[size]
                let context = a.context
                let id = "image-folder-\(UUID().uuidString)"
                var bar: ProgressBar? = nil
                var last = 0.0
                let result = try ImageFolder.load(try a[dir], size: requested) { done, total in
                    guard total >= 200 else { return }
                    let now = monotonicSeconds()
                    if bar == nil { bar = ProgressBar(total: total, label: "images", now: now) }
                    bar?.done = done
                    guard done == total || now - last >= 0.1, let b = bar else { return }
                    let bundle = MIMEBundle(data: ["text/html": b.html(now: now), "text/plain": b.text(now: now)])
                    context.progress(bundle, id: id, first: last == 0, final: done == total)
                    last = now
                }
                let classes = Value.list(ListRef(result.classes.map { .string($0) }))
                return .tuple(
                    TupleRef(
                        [.tensor(result.images), .tensor(result.labels), classes], attributes: [("classes", classes)]))
            }
        },
        B(
            .data, "cifar10", .tuple,
            "CIFAR-10 from its binary batches in dir: (images N×3×32×32 in [0, 1], labels), carrying the class names "
                + "as .classes; train: false for the test set.",
            "let (x, y) = cifar10(dir, train: false)  // dir: the unpacked cifar-10-batches-bin"
        ) { d in
            let dir = d.p("dir", String.self), train = d.label("train", Bool.self, true)
            return { a in
                let (x, y) = try CIFAR10.read(a[dir], train: a[train])
                return dataSet(x, y, classes: CIFAR10.classes)
            }
        },
        B(
            .data, "cifar10_classes", .list, "CIFAR-10's ten class names, in label order.",
            "cifar10_classes()[3]  // \"cat\""
        ) { _ in { _ in .list(ListRef(CIFAR10.classes.map { .string($0) })) } },
    ]

    /// A data set as the language gives it: an `(images, labels)` tuple that carries its class names
    /// (`data.classes`).
    static func dataSet(_ images: Tensor, _ labels: Tensor, classes: [String]) -> Value {
        .tuple(
            TupleRef(
                [.tensor(images), .tensor(labels)],
                attributes: [("classes", .list(ListRef(classes.map { .string($0) })))]))
    }

    /// A checkpoint's object as a language value: dictionaries, lists, tuples, numbers, strings and tensors.
    static func value(_ v: PickleValue) -> Value {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .list(ListRef(b.map { .int(Int($0)) }))
        case .list(let xs): return .list(ListRef(xs.map(value)))
        case .tuple(let xs): return .tuple(TupleRef(xs.map(value)))
        case .tensor(let t): return .tensor(t)
        case .storage(let key, let type): return .string("<\(type) \(key)>")
        case .global(let name): return .string("<\(name)>")
        case .dict(let pairs):
            return .dict(
                DictRef(
                    pairs.map { k, x in
                        switch k {
                        case .int(let i): return (DictKey.int(i), value(x))
                        case .string(let s): return (DictKey.string(s), value(x))
                        default: return (DictKey.string("\(value(k).repr)"), value(x))
                        }
                    }))
        }
    }
}

/// An image size: an Int for the shorter side (aspect kept), or [height, width], as torchvision's `Resize`.
enum ImageSize: ArgumentType {
    static var valueType: ValueType { .pair }
    static func read(_ v: Value, _ at: ArgumentSite) throws -> [Int] {
        if case .int(let n) = v { return [n] }
        let pair = try IntPair.read(v, at)
        return [pair.h, pair.w]
    }
}
