import CNN
import Foundation
import Render

/// Image files, image folders, CIFAR-10, resizing and cropping.
extension Builtins {
    static let images: [Builtin] = [
        B(
            "io", "load_image", [p("path", .string)], .tensor,
            "Reads a PNG (8/16-bit, grey, RGB, RGBA, palette) or JPEG file as a C×H×W Float32 tensor in [0, 1].",
            "save_image(rand(3, 4, 4), tempdir() + \"/x.png\"); load_image(tempdir() + \"/x.png\").shape"
        ) { a in
            .tensor(try ImageFile.read(try a.string("path")))
        },
        B(
            "io", "save_image", [p("image", .tensorLike), p("path", .string)], .none,
            "Writes a C×H×W (1–4 channels) or H×W tensor with values in [0, 1] as an 8-bit PNG.",
            "save_image(rand(3, 8, 8), tempdir() + \"/noise.png\")"
        ) { a in
            try ImageFile.writePNG(try a.tensor("image"), to: try a.string("path"))
            return .none
        },
        B(
            "data", "resize",
            [
                p("image", .tensorLike),
                p("size", .pair, label: true, doc: "the shorter side (aspect kept), or [height, width]"),
                p("antialias", .bool, .bool(true), label: true),
            ],
            .tensor,
            "Bilinear resize of a C×H×W image or N×C×H×W batch, antialiased when shrinking (torchvision's Resize).",
            "resize(rand(3, 64, 48), size: 32).shape  // [3, 42, 32]"
        ) { a in
            .tensor(
                try ImageResize.resize(
                    try a.tensor("image"), size: try a.ints("size") ?? [], antialias: try a.bool("antialias")))
        },
        B(
            "data", "center_crop", [p("image", .tensorLike), p("size", .pair)], .tensor,
            "The middle size×size (or [height, width]) window of an image or batch (torchvision's CenterCrop).",
            "center_crop(rand(3, 10, 10), 8).shape"
        ) { a in
            .tensor(try ImageResize.centerCrop(try a.tensor("image"), size: try a.ints("size") ?? []))
        },
        B(
            "data", "image_folder",
            [
                p("dir", .string),
                p("size", .optional(.pair), .none, label: true, doc: "resize every image (shorter side or [h, w])"),
            ],
            .tuple,
            "Loads dir/<class>/*.png|jpg as (images N×3×H×W, labels, classes), classes sorted by name as torchvision's "
                + "ImageFolder; a progress bar for large folders.",
            "let (images, labels, classes) = image_folder(dir, size: 32)  // dir: class folders of images"
        ) { a in
            let dir = try a.string("dir")
            let size = try a.ints("size")
            let interp = a.interp
            let id = "image-folder-\(UUID().uuidString)"
            var bar: ProgressBar? = nil
            var last = 0.0
            let result = try ImageFolder.load(dir, size: size) { done, total in
                guard total >= 200 else { return }
                let now = interp.now()
                if bar == nil { bar = ProgressBar(total: total, label: "images", now: now) }
                bar?.done = done
                guard done == total || now - last >= 0.1, let b = bar else { return }
                let bundle = MIMEBundle(data: ["text/html": b.html(now: now), "text/plain": b.text(now: now)])
                interp.host.progress(bundle, id: id, first: last == 0, final: done == total)
                last = now
            }
            return .tuple(
                TupleRef([
                    .tensor(result.images), .tensor(result.labels),
                    .list(ListRef(result.classes.map { .string($0) })),
                ]))
        },
        B(
            "data", "cifar10", [p("dir", .string), p("train", .bool, .bool(true), label: true)], .tuple,
            "CIFAR-10 from its binary batches in dir: (images N×3×32×32 in [0, 1], labels); train: false for the "
                + "test set. The class names are cifar10_classes.",
            "let (x, y) = cifar10(dir, train: false)  // dir: the unpacked cifar-10-batches-bin"
        ) { a in
            let (x, y) = try CIFAR10.read(try a.string("dir"), train: try a.bool("train"))
            return .tuple(TupleRef([.tensor(x), .tensor(y)]))
        },
        B(
            "data", "cifar10_classes", [], .list, "CIFAR-10's ten class names, in label order.",
            "cifar10_classes()[3]  // \"cat\""
        ) { _ in
            .list(ListRef(CIFAR10.classes.map { .string($0) }))
        },
    ]

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
