import CZlib
import Foundation

/// Writes a zip archive of stored (uncompressed) members, as NumPy's `savez` and PyTorch's `torch.save` do.
/// With `alignment`, each member's bytes start at a multiple of it (PyTorch aligns storages to 64 bytes so they
/// can be mapped), padded with an extra field as PyTorch's writer pads.
struct ZipWriter {
    private(set) var archive = Data()
    private var central = Data()
    private var count = 0
    let alignment: Int

    init(alignment: Int = 1) { self.alignment = alignment }

    /// Adds a member.
    mutating func add(_ name: String, _ payload: Data) throws {
        try Cancellation.check()
        let fname = Array(name.utf8)
        guard archive.count < Int(UInt32.max), payload.count < Int(UInt32.max) else {
            throw CNNError.io("\(name): a member of 4 GiB or more, or an archive larger than that, is not supported")
        }
        let crc = payload.withUnsafeBytes { p in
            Int(crc32(0, p.bindMemory(to: Bytef.self).baseAddress, uInt(payload.count)))
        }
        let offset = archive.count
        var extra: [UInt8] = []
        let start = offset + 30 + fname.count
        if alignment > 1, start % alignment != 0 {
            var pad = alignment - start % alignment
            if pad < 4 { pad += alignment }  // room for the extra field's own header
            extra = Self.le16(0x4246) + Self.le16(pad - 4) + [UInt8](repeating: 0x5A, count: pad - 4)
        }
        archive.append(contentsOf: Self.le32(0x0403_4b50) + Self.le16(20) + Self.le16(0) + Self.le16(0))
        archive.append(contentsOf: Self.le16(0) + Self.le16(0x21) + Self.le32(crc) + Self.le32(payload.count))
        archive.append(contentsOf: Self.le32(payload.count) + Self.le16(fname.count) + Self.le16(extra.count))
        archive.append(contentsOf: fname + extra)
        archive.append(payload)
        central.append(contentsOf: Self.le32(0x0201_4b50) + Self.le16(20) + Self.le16(20) + Self.le16(0))
        central.append(contentsOf: Self.le16(0) + Self.le16(0) + Self.le16(0x21) + Self.le32(crc))
        central.append(contentsOf: Self.le32(payload.count) + Self.le32(payload.count) + Self.le16(fname.count))
        central.append(contentsOf: Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le32(0))
        central.append(contentsOf: Self.le32(offset) + fname)
        count += 1
    }

    /// The archive, with its central directory.
    mutating func finish() -> Data {
        let cdOffset = archive.count
        var out = archive
        out.append(central)
        out.append(contentsOf: Self.le32(0x0605_4b50) + Self.le16(0) + Self.le16(0) + Self.le16(count))
        out.append(contentsOf: Self.le16(count) + Self.le32(central.count) + Self.le32(cdOffset) + Self.le16(0))
        return out
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
}
