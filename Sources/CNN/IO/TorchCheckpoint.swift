import Foundation

/// PyTorch's checkpoint files (`torch.save(model.state_dict(), path)`, the zip format of PyTorch 1.6 and
/// later): `<name>/data.pkl` is a pickle read by the restricted `Unpickler`, whose storages are the members
/// `<name>/data/<key>` (little-endian). A file never runs code; a file whose pickle needs anything but
/// tensors, numbers, strings, lists and dictionaries is refused with an error naming what it asked for.
public enum TorchCheckpoint {
    /// Whether `bytes` are a zip archive with a `data.pkl` member (a PyTorch checkpoint, not an `.npz`).
    public static func sniff(_ bytes: [UInt8], name: String) -> Bool {
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
        return (try? ZipArchive.members(bytes, name: name))?.contains { $0.name.hasSuffix("data.pkl") } ?? false
    }

    /// Reads the object a checkpoint holds.
    public static func decode(_ bytes: [UInt8], name: String) throws -> PickleValue {
        if bytes.starts(with: [0x80]) {
            throw CNNError.io(
                "\(name): a PyTorch file in the legacy (pre-1.6) format; save it again with a current PyTorch")
        }
        let members = try ZipArchive.members(bytes, name: name)
        guard let pkl = members.first(where: { $0.name.hasSuffix("data.pkl") }) else {
            throw CNNError.io("\(name): a zip archive without data.pkl is not a PyTorch checkpoint")
        }
        let prefix = String(pkl.name.dropLast("data.pkl".count))
        if let order = members.first(where: { $0.name == prefix + "byteorder" }) {
            let text = String(decoding: try ZipArchive.contents(order, of: bytes, name: name), as: UTF8.self)
            guard text == "little" else { throw CNNError.io("\(name): storages are \(text)-endian") }
        }
        let byName = Dictionary(members.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var storages: [String: [UInt8]] = [:]
        func storage(_ key: String) throws -> [UInt8] {
            if let s = storages[key] { return s }
            guard let m = byName[prefix + "data/" + key] else {
                throw CNNError.io("\(name): storage \(key) is missing from the archive")
            }
            let s = [UInt8](try ZipArchive.contents(m, of: bytes, name: name))
            storages[key] = s
            return s
        }
        var unpickler = Unpickler([UInt8](try ZipArchive.contents(pkl, of: bytes, name: name)), name: name) {
            ref, offset, size, stride in
            guard case .storage(let key, let type) = ref else {
                throw CNNError.io("\(name): a tensor without a storage")
            }
            return try tensor(try storage(key), type: type, offset: offset, size: size, stride: stride, name: name)
        }
        return try unpickler.load()
    }

    /// Element size and how to read one element of each typed storage.
    static func tensor(
        _ data: [UInt8], type: String, offset: Int, size: [Int], stride: [Int], name: String
    ) throws -> Tensor {
        let width: Int
        switch type {
        case "torch.DoubleStorage", "torch.LongStorage": width = 8
        case "torch.FloatStorage", "torch.IntStorage": width = 4
        case "torch.HalfStorage", "torch.BFloat16Storage", "torch.ShortStorage": width = 2
        case "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage": width = 1
        default: throw CNNError.io("\(name): unsupported storage type \(type)")
        }
        guard size.count == stride.count, offset >= 0, stride.allSatisfy({ $0 >= 0 }) else {
            throw CNNError.io("\(name): a tensor with size \(size), stride \(stride) and offset \(offset)")
        }
        let n = try Shape.count(size, "\(name): tensor size")
        var last = offset
        for (d, s) in zip(size, stride) where d > 0 {
            last = try Shape.add(last, try Shape.multiply(d - 1, s, "extent"), "extent")
        }
        guard n == 0 || (last + 1) <= data.count / width else {
            throw CNNError.io(
                "\(name): a tensor of size \(size) reaches element \(last) of a storage of \(data.count / width)")
        }
        let dtype: DType =
            type == "torch.DoubleStorage"
            ? .float64
            : (["torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage"].contains(type) ? .float32 : .int64)
        let out = try Tensor(shape: size, dtype: dtype, zeroed: false)
        func element(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(data[i * width + k]) << (8 * UInt64(k)) }
            return v
        }
        var index = [Int](repeating: 0, count: size.count)
        for i in 0..<n {
            if i & 0xFFFF == 0 { try Cancellation.check() }
            var src = offset
            for (k, s) in zip(index, stride) { src += k * s }
            let bits = element(src)
            switch type {
            case "torch.DoubleStorage": out.data(Double.self)[i] = Double(bitPattern: bits)
            case "torch.FloatStorage": out.data(Float.self)[i] = Float(bitPattern: UInt32(bits))
            case "torch.HalfStorage": out.data(Float.self)[i] = Float(Float16Bits(UInt16(bits)))
            case "torch.BFloat16Storage": out.data(Float.self)[i] = Float(bitPattern: UInt32(bits) << 16)
            case "torch.LongStorage": out.data(Int64.self)[i] = Int64(bitPattern: bits)
            case "torch.IntStorage": out.data(Int64.self)[i] = Int64(Int32(truncatingIfNeeded: bits))
            case "torch.ShortStorage": out.data(Int64.self)[i] = Int64(Int16(truncatingIfNeeded: bits))
            case "torch.CharStorage": out.data(Int64.self)[i] = Int64(Int8(truncatingIfNeeded: bits))
            default: out.data(Int64.self)[i] = Int64(bits)
            }
            var d = size.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < size[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return out
    }

    /// The named tensors of a checkpoint: the top-level dictionary's tensors, or those of its `state_dict`
    /// (or `model`) entry when the file is a training checkpoint that wraps one.
    public static func stateDict(_ v: PickleValue, name: String) throws -> [(String, Tensor)] {
        guard case .dict(let items) = v else { throw CNNError.io("\(name): the checkpoint is not a dictionary") }
        let tensors = items.compactMap { k, x -> (String, Tensor)? in
            guard case .string(let s) = k, case .tensor(let t) = x else { return nil }
            return (s, t)
        }
        if !tensors.isEmpty { return tensors }
        for wrapper in ["state_dict", "model", "model_state_dict"] {
            if let inner = items.first(where: { if case .string(wrapper) = $0.0 { return true } else { return false } })
            {
                return try stateDict(inner.1, name: name)
            }
        }
        throw CNNError.io("\(name): the checkpoint holds no tensors")
    }
}
