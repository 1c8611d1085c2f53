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
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= b.count else { throw CNNError.io("\(name): truncated zip archive") }
            return Int(b[o]) | Int(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> Int { try u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) throws -> Int { try u32(o) | u32(o + 4) << 32 }
        var eocd = -1
        var i = b.count - 22
        while i >= Swift.max(0, b.count - 65_557) { if try u32(i) == 0x0605_4b50 { eocd = i; break }; i -= 1 }
        guard eocd >= 0 else { throw CNNError.io("\(name): not a zip (.npz) archive") }
        var entries = try u16(eocd + 10)
        var cd = try u32(eocd + 16)
        if cd == 0xFFFF_FFFF || entries == 0xFFFF, eocd >= 20, try u32(eocd - 20) == 0x0706_4b50 {
            let z64 = try u64(eocd - 12)
            guard try u32(z64) == 0x0606_4b50 else { throw CNNError.io("\(name): bad zip64 directory") }
            entries = try u64(z64 + 32); cd = try u64(z64 + 48)
        }
        var result: [(String, Tensor)] = []
        var p = cd
        for _ in 0..<entries {
            guard try u32(p) == 0x0201_4b50 else { throw CNNError.io("\(name): corrupt central directory") }
            let method = try u16(p + 10)
            var csize = try u32(p + 20), usize = try u32(p + 24)
            let nlen = try u16(p + 28), elen = try u16(p + 30), clen = try u16(p + 32)
            var local = try u32(p + 42)
            guard p + 46 + nlen <= b.count else { throw CNNError.io("\(name): truncated zip entry") }
            let fname = String(decoding: b[(p + 46)..<(p + 46 + nlen)], as: UTF8.self)
            var e = p + 46 + nlen
            let eend = e + elen
            while e + 4 <= eend {
                let id = try u16(e), sz = try u16(e + 2)
                if id == 1 {
                    var q = e + 4
                    if usize == 0xFFFF_FFFF { usize = try u64(q); q += 8 }
                    if csize == 0xFFFF_FFFF { csize = try u64(q); q += 8 }
                    if local == 0xFFFF_FFFF { local = try u64(q) }
                }
                e += 4 + sz
            }
            p = eend + clen
            guard try u32(local) == 0x0403_4b50 else { throw CNNError.io("\(name): corrupt local header for \(fname)") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + csize <= b.count else { throw CNNError.io("\(name): member \(fname) is truncated") }
            let raw = Data(b[start..<(start + csize)])
            let payload: Data
            switch method {
            case 0: payload = raw
            case 8: payload = try inflate(raw, expected: usize, raw: true)
            default: throw CNNError.io("\(name): member \(fname) uses unsupported compression \(method)")
            }
            let key = fname.hasSuffix(".npy") ? String(fname.dropLast(4)) : fname
            result.append((key, try NPY.decode(payload, name: "\(name)/\(fname)")))
        }
        return result
    }

    /// Inflates deflate data (raw, or gzip when `raw` is false).
    static func inflate(_ data: Data, expected: Int, raw: Bool) throws -> Data {
        var stream = z_stream()
        guard
            inflateInit2_(&stream, raw ? -MAX_WBITS : MAX_WBITS + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else {
            throw CNNError.io("zlib: inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var out = Data()
        var input = [UInt8](data)
        var chunk = [UInt8](repeating: 0, count: Swift.max(1 << 16, Swift.min(expected, 1 << 24)))
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { ip in
            stream.next_in = ip.baseAddress
            stream.avail_in = uInt(ip.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { cp in
                    stream.next_out = cp.baseAddress
                    stream.avail_out = uInt(cp.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw CNNError.io("zlib: corrupt deflate data (\(status))")
                    }
                    out.append(cp.baseAddress!, count: cp.count - Int(stream.avail_out))
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 { break }
            } while status != Z_STREAM_END
        }
        return out
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
