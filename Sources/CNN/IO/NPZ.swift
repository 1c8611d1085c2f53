public import Foundation
import CZlib

/// NumPy `.npz` archives: a zip of `.npy` members. Reads stored and deflated members
/// (`np.savez` and `np.savez_compressed`, zip64 included); writes stored members.
public enum NPZ {
    /// Writes named tensors as `NAME.npy` members.
    public static func encode(_ items: [(String, Tensor)]) throws -> Data {
        var out = Data(), central = Data()
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        for (name, t) in items {
            try Cancellation.check()
            let payload = try NPY.encode(t)
            let fname = Array((name + ".npy").utf8)
            let crc = payload.withUnsafeBytes { p in
                Int(crc32(0, p.bindMemory(to: Bytef.self).baseAddress, uInt(payload.count)))
            }
            let offset = out.count
            out.append(contentsOf: le32(0x0403_4b50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21))
            out.append(contentsOf: le32(crc) + le32(payload.count) + le32(payload.count) + le16(fname.count) + le16(0))
            out.append(contentsOf: fname)
            out.append(payload)
            central.append(
                contentsOf: le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21))
            central.append(contentsOf: le32(crc) + le32(payload.count) + le32(payload.count) + le16(fname.count))
            central.append(contentsOf: le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset))
            central.append(contentsOf: fname)
        }
        let cdOffset = out.count
        out.append(central)
        out.append(contentsOf: le32(0x0605_4b50) + le16(0) + le16(0) + le16(items.count) + le16(items.count))
        out.append(contentsOf: le32(central.count) + le32(cdOffset) + le16(0))
        return out
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
