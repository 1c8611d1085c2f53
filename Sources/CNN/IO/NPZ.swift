public import Foundation

/// NumPy `.npz` archives: a zip of `.npy` members. Reads stored and deflated members
/// (`np.savez` and `np.savez_compressed`, zip64 included); writes stored members.
public enum NPZ {
    /// Writes named tensors as `NAME.npy` members.
    public static func encode(_ items: [(String, Tensor)]) throws -> Data {
        var zip = ZipWriter()
        for (name, t) in items { try zip.add(name + ".npy", try NPY.encode(t)) }
        return zip.finish()
    }

    /// Reads every `.npy` member, in archive order, named without the `.npy` suffix.
    public static func decode(_ data: Data, name: String = "archive") throws -> [(String, Tensor)] {
        let b = [UInt8](data)
        return try ZipArchive.members(b, name: name).map { m in
            let key = m.name.hasSuffix(".npy") ? String(m.name.dropLast(4)) : m.name
            return (key, try NPY.decode(try ZipArchive.contents(m, of: b, name: name), name: "\(name)/\(m.name)"))
        }
    }

    public static func read(_ path: String) throws -> [(String, Tensor)] {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw CNNError.io("cannot read \(path): no such file or not readable")
        }
        return try decode(d, name: path)
    }
    public static func write(_ items: [(String, Tensor)], to path: String) throws {
        try FileWrite.atomically(try encode(items), to: path)
    }
}
