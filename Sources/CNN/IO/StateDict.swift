import Foundation

/// Model state with PyTorch `state_dict` key names (`0.weight`, `features.3.bias`), so weights move between
/// Stride and PyTorch: NumPy `.npz`, `.safetensors`, and PyTorch's own checkpoints (read only).
public enum StateDict {
    /// The state file formats, told apart by their contents (the name's extension decides only when writing).
    public enum Format: String, Sendable {
        case npz, safetensors, torch
    }

    /// The format of a file's bytes, or an error naming the file.
    public static func format(of bytes: [UInt8], name: String) throws -> Format {
        if TorchCheckpoint.sniff(bytes, name: name) { return .torch }
        if bytes.starts(with: [0x50, 0x4B]) { return .npz }
        if SafeTensors.sniff(bytes) { return .safetensors }
        if bytes.starts(with: [0x80]) {
            throw CNNError.io("\(name): a PyTorch file in the legacy (pre-1.6) format; save it with a current PyTorch")
        }
        throw CNNError.io("\(name): not a state file (.npz, .safetensors or a PyTorch checkpoint)")
    }

    /// What a file holds.
    public enum Stored {
        /// One tensor (`.npy`, IDX).
        case tensor(Tensor)
        /// Named tensors (`.npz`, `.safetensors`).
        case named([(String, Tensor)])
        /// A PyTorch checkpoint's object (dictionaries, lists, numbers, strings, tensors).
        case object(PickleValue)
    }

    /// Reads any file `load` knows: `.npy`, a state file by its contents, else an IDX file.
    public static func open(_ path: String) throws -> Stored {
        if path.hasSuffix(".npy") { return .tensor(try NPY.read(path)) }
        let bytes = try contents(path)
        guard let format = try? format(of: bytes, name: path) else {
            return .tensor(try IDX.decode(Data(bytes), name: path))
        }
        return try decode(bytes, format, name: path)
    }

    /// Reads the named tensors of any state file.
    public static func read(_ path: String) throws -> [(String, Tensor)] {
        let bytes = try contents(path)
        switch try decode(bytes, try format(of: bytes, name: path), name: path) {
        case .named(let items): return items
        case .object(let o): return try TorchCheckpoint.stateDict(o, name: path)
        case .tensor: throw CNNError.io("\(path): not a state file (.npz, .safetensors or a PyTorch checkpoint)")
        }
    }

    /// Decodes a state file's bytes in `format`: the one place each format is read.
    static func decode(_ bytes: [UInt8], _ format: Format, name: String) throws -> Stored {
        switch format {
        case .npz: return .named(try NPZ.decode(Data(bytes), name: name))
        case .safetensors: return .named(try SafeTensors.decode(bytes, name: name))
        case .torch: return .object(try TorchCheckpoint.decode(bytes, name: name))
        }
    }

    /// A file's bytes, or an `IOError` naming it.
    public static func contents(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw CNNError.io("cannot read \(path): no such file or not readable")
        }
        return [UInt8](d)
    }

    /// The formats `save` writes, by the path's extension: the file is always the format its name says.
    public enum FileFormat: String, CaseIterable, Sendable {
        case npy, npz, safetensors, pth, pt

        /// The format a path's extension names, or an IOError listing the ones `save` writes.
        public init(path: String) throws {
            let ext = (path as NSString).pathExtension.lowercased()
            guard let f = FileFormat(rawValue: ext) else {
                let what = ext.isEmpty ? "the name has no extension" : "'.\(ext)' is not a format save writes"
                throw CNNError.io(
                    "cannot save \(path): \(what); use .npy (one tensor), .npz or .safetensors (NumPy and Hugging Face: "
                        + "a tensor, a dictionary of tensors or a model's state) or .pth / .pt (a PyTorch checkpoint "
                        + "torch.load reads)")
            }
            self = f
        }
    }

    /// What `save` writes: one tensor, or named tensors (a dictionary, a model's state dict).
    public enum Contents {
        case tensor(Tensor)
        case named([(String, Tensor)])
    }

    /// The key a lone tensor is saved under in formats of named tensors (`.npz`, `.safetensors`).
    public static let tensorKey = "tensor"

    /// Writes `contents` in the format `path`'s extension names: `.npy` a tensor, `.npz` and `.safetensors` named
    /// tensors (a lone tensor under the key "tensor"), `.pth`/`.pt` a PyTorch checkpoint (an `OrderedDict` of the
    /// named tensors, or the tensor itself).
    public static func save(_ contents: Contents, to path: String) throws {
        let format = try FileFormat(path: path)
        switch (format, contents) {
        case (.npy, .tensor(let t)): try NPY.write(t.detach(), to: path)
        case (.npy, .named):
            throw CNNError.io(
                "cannot save \(path): a .npy file holds one tensor; save a model or dictionary as .npz, .safetensors "
                    + "or .pth")
        case (.pth, _), (.pt, _):
            switch contents {
            case .tensor(let t): try TorchCheckpoint.write(.tensor(t), to: path)
            case .named(let items): try TorchCheckpoint.write(.stateDict(items), to: path)
            }
        case (.npz, _), (.safetensors, _):
            let items: [(String, Tensor)]
            switch contents {
            case .tensor(let t): items = [(tensorKey, t.detach())]
            case .named(let named): items = named.map { ($0.0, $0.1.detach()) }
            }
            if format == .npz {
                try NPZ.write(items, to: path)
            } else {
                try FileWrite.atomically(try SafeTensors.encode(items), to: path)
            }
        }
    }

    /// Writes every parameter and buffer of `model`, with PyTorch's state-dict names.
    public static func save(_ model: any Layer, to path: String) throws {
        try save(.named(model.stateDict), to: path)
    }

    /// Loads a state file into `model` in place; with `strict`, every key must match in name and shape.
    /// Values are converted to the model's dtype (a Float16 checkpoint loads into Float32 parameters).
    @discardableResult
    public static func load(into model: any Layer, from path: String, strict: Bool = true) throws -> [String] {
        let items = try read(path)
        let mine = model.stateDict
        var loaded: [String] = []
        let byName = Dictionary(items, uniquingKeysWith: { a, _ in a })
        for (k, t) in mine {
            guard let src = byName[k] else {
                if strict {
                    let some = items.prefix(6).map { $0.0 }.joined(separator: ", ")
                    throw CNNError.io("\(path) has no entry '\(k)' (it has: \(some)\(items.count > 6 ? ", …" : ""))")
                }
                continue
            }
            guard src.shape == t.shape || (src.count == t.count && src.count <= 1) else {
                throw CNNError.shape(
                    "\(path): '\(k)' has shape \(shapeString(src.shape)), the model expects \(shapeString(t.shape))")
            }
            try withNoGrad { try t.detach().assign(src.reshaped(t.shape)) }
            loaded.append(k)
        }
        if strict, let extra = items.first(where: { item in !mine.contains { $0.0 == item.0 } }) {
            throw CNNError.io("\(path) has an entry '\(extra.0)' the model does not have")
        }
        return loaded
    }
}
