public import Foundation

/// Writing PyTorch checkpoints: the zip format `torch.save` writes (PyTorch 1.6 and later), which
/// `torch.load(path, weights_only=True)` reads. A state dict is an `OrderedDict` of tensors, each rebuilt by
/// `torch._utils._rebuild_tensor_v2` from a storage of its own (`archive/data/<i>`, little-endian, aligned to 64
/// bytes as PyTorch aligns them); a lone tensor is saved as itself.
extension TorchCheckpoint {
    /// What a checkpoint holds: named tensors (a state dict) or one tensor.
    public enum Contents {
        case stateDict([(String, Tensor)])
        case tensor(Tensor)
    }

    /// The checkpoint's bytes.
    public static func encode(_ contents: Contents) throws -> Data {
        var pickle = PickleWriter()
        var storages: [Tensor] = []
        func tensor(_ t: Tensor) throws {
            let c = try t.detach().contiguous()
            pickle.global("torch._utils", "_rebuild_tensor_v2")
            pickle.mark()
            // the storage, by persistent id: ("storage", <type>, key, "cpu", element count)
            pickle.mark()
            pickle.string("storage")
            pickle.global("torch", storageType(c.dtype))
            pickle.string(String(storages.count))
            pickle.string("cpu")
            pickle.int(c.count)
            pickle.tuple()
            pickle.persistentID()
            pickle.int(0)
            pickle.mark()
            for d in c.shape { pickle.int(d) }
            pickle.tuple()
            pickle.mark()
            for st in contiguousStrides(c.shape) { pickle.int(st) }
            pickle.tuple()
            pickle.bool(false)
            pickle.call("collections", "OrderedDict")  // backward hooks
            pickle.tuple()
            pickle.reduce()
            storages.append(c)
        }
        switch contents {
        case .tensor(let t): try tensor(t)
        case .stateDict(let items):
            pickle.call("collections", "OrderedDict")
            pickle.mark()
            for (name, t) in items {
                pickle.string(name)
                try tensor(t)
            }
            pickle.setItems()
        }
        pickle.stop()
        var zip = ZipWriter(alignment: 64)
        try zip.add("archive/data.pkl", pickle.bytes)
        try zip.add("archive/.format_version", Data("1".utf8))
        try zip.add("archive/.storage_alignment", Data("64".utf8))
        try zip.add("archive/byteorder", Data("little".utf8))
        for (i, t) in storages.enumerated() { try zip.add("archive/data/\(i)", littleEndianBytes(t)) }
        try zip.add("archive/version", Data("3\n".utf8))
        return zip.finish()
    }

    /// Writes a checkpoint file.
    public static func write(_ contents: Contents, to path: String) throws {
        try FileWrite.atomically(try encode(contents), to: path)
    }

    /// PyTorch's name for a storage of `dtype`.
    static func storageType(_ dtype: DType) -> String {
        switch dtype {
        case .float32: "FloatStorage"
        case .float64: "DoubleStorage"
        case .int64: "LongStorage"
        }
    }

    /// A contiguous tensor's elements as little-endian bytes.
    static func littleEndianBytes(_ t: Tensor) -> Data {
        var out = Data(capacity: t.count * t.dtype.byteSize)
        switch t.dtype {
        case .float32:
            let p = t.data(Float.self)
            for i in 0..<t.count { withUnsafeBytes(of: p[i].bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        case .float64:
            let p = t.data(Double.self)
            for i in 0..<t.count { withUnsafeBytes(of: p[i].bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        case .int64:
            let p = t.data(Int64.self)
            for i in 0..<t.count { withUnsafeBytes(of: p[i].littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }
}

/// A pickle (protocol 2) of the few things a checkpoint needs: globals, calls, tuples, strings, ints, bools,
/// persistent ids and a dictionary's items.
struct PickleWriter {
    private(set) var bytes = Data([0x80, 0x02])

    mutating func global(_ module: String, _ name: String) {
        bytes.append(contentsOf: Array("c\(module)\n\(name)\n".utf8))
    }

    /// `module.name()`: the global called with no arguments.
    mutating func call(_ module: String, _ name: String) {
        global(module, name)
        bytes.append(contentsOf: [0x29, 0x52])  // EMPTY_TUPLE, REDUCE
    }

    mutating func mark() { bytes.append(0x28) }
    mutating func reduce() { bytes.append(0x52) }
    mutating func persistentID() { bytes.append(0x51) }  // BINPERSID
    mutating func setItems() { bytes.append(0x75) }
    mutating func stop() { bytes.append(0x2E) }
    mutating func bool(_ b: Bool) { bytes.append(b ? 0x88 : 0x89) }

    /// A tuple of everything since the last `mark()`.
    mutating func tuple() { bytes.append(0x74) }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        bytes.append(0x58)  // BINUNICODE
        bytes.append(contentsOf: ZipWriter.le32(utf8.count) + utf8)
    }

    mutating func int(_ v: Int) {
        if v >= 0 && v < 256 {
            bytes.append(contentsOf: [0x4B, UInt8(v)])  // BININT1
        } else if v >= Int(Int32.min) && v <= Int(Int32.max) {
            bytes.append(0x4A)  // BININT
            withUnsafeBytes(of: Int32(v).littleEndian) { bytes.append(contentsOf: $0) }
        } else {
            bytes.append(contentsOf: [0x8A, 8])  // LONG1, 8 bytes
            withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) }
        }
    }
}
