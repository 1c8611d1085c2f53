import CZlib
public import Foundation

/// Reading zip archives (stored or deflated members, zip64), as `.npz` files and PyTorch checkpoints are.
/// Every offset and size from the file is checked against the data before use; a member's declared size is
/// checked against the memory budget before it is inflated, and inflating stops at the declared size.
public enum ZipArchive {
    /// One member: its name and where its bytes are.
    public struct Member {
        public var name: String
        let method: Int
        let start: Int
        let compressedSize: Int
        let size: Int
    }

    /// The members listed in the central directory of `b`; `name` (the file) appears in errors.
    public static func members(_ b: [UInt8], name: String) throws -> [Member] {
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= b.count else { throw CNNError.io("\(name): truncated zip archive") }
            return Int(b[o]) | Int(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> Int { try u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) throws -> Int {
            let v = UInt64(try u32(o)) | UInt64(try u32(o + 4)) << 32
            guard v < 1 << 62 else { throw CNNError.io("\(name): zip size or offset \(v) is out of range") }
            return Int(v)
        }
        var eocd = -1
        var i = b.count - 22
        while i >= Swift.max(0, b.count - 65_557) {
            if try u32(i) == 0x0605_4b50 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { throw CNNError.io("\(name): not a zip archive (no end of central directory)") }
        var entries = try u16(eocd + 10)
        var cd = try u32(eocd + 16)
        if cd == 0xFFFF_FFFF || entries == 0xFFFF, eocd >= 20, try u32(eocd - 20) == 0x0706_4b50 {
            let z64 = try u64(eocd - 12)
            guard try u32(z64) == 0x0606_4b50 else { throw CNNError.io("\(name): bad zip64 directory") }
            entries = try u64(z64 + 32)
            cd = try u64(z64 + 48)
        }
        guard entries <= b.count / 46 else { throw CNNError.io("\(name): the zip directory claims \(entries) members") }
        var result: [Member] = []
        var p = cd
        for _ in 0..<entries {
            guard try u32(p) == 0x0201_4b50 else { throw CNNError.io("\(name): corrupt central directory") }
            let method = try u16(p + 10)
            var csize = try u32(p + 20)
            var usize = try u32(p + 24)
            let nlen = try u16(p + 28)
            let elen = try u16(p + 30)
            let clen = try u16(p + 32)
            var local = try u32(p + 42)
            guard p + 46 + nlen <= b.count else { throw CNNError.io("\(name): truncated zip entry") }
            let fname = String(decoding: b[(p + 46)..<(p + 46 + nlen)], as: UTF8.self)
            var e = p + 46 + nlen
            let eend = e + elen
            while e + 4 <= eend {
                let id = try u16(e)
                let sz = try u16(e + 2)
                if id == 1 {
                    var q = e + 4
                    if usize == 0xFFFF_FFFF {
                        usize = try u64(q)
                        q += 8
                    }
                    if csize == 0xFFFF_FFFF {
                        csize = try u64(q)
                        q += 8
                    }
                    if local == 0xFFFF_FFFF { local = try u64(q) }
                }
                e += 4 + sz
            }
            p = eend + clen
            guard try u32(local) == 0x0403_4b50 else { throw CNNError.io("\(name): corrupt local header for \(fname)") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start <= b.count, csize <= b.count - start else {
                throw CNNError.io("\(name): member \(fname) is truncated")
            }
            guard method == 0 || method == 8 else {
                throw CNNError.io("\(name): member \(fname) uses unsupported compression \(method)")
            }
            result.append(Member(name: fname, method: method, start: start, compressedSize: csize, size: usize))
        }
        return result
    }

    /// A member's bytes (inflated when deflated).
    public static func contents(_ m: Member, of b: [UInt8], name: String) throws -> Data {
        let raw = Data(b[m.start..<(m.start + m.compressedSize)])
        if m.method == 0 { return raw }
        try MemoryBudget.current.check(m.size, "\(name)/\(m.name) inflated")
        return try inflate(raw, expected: m.size, name: "\(name)/\(m.name)")
    }

    /// Inflates raw deflate data (or gzip), refusing to produce more than `expected` bytes (a zip bomb's
    /// declared size is checked by the caller; its real size cannot exceed it here).
    static func inflate(_ data: Data, expected: Int, name: String, gzip: Bool = false) throws -> Data {
        var stream = z_stream()
        let bits = gzip ? MAX_WBITS + 16 : -MAX_WBITS
        guard inflateInit2_(&stream, bits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CNNError.io("zlib: inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var out = Data()
        var input = [UInt8](data)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { ip in
            stream.next_in = ip.baseAddress
            stream.avail_in = uInt(ip.count)
            repeat {
                try Cancellation.check()
                try chunk.withUnsafeMutableBufferPointer { cp in
                    stream.next_out = cp.baseAddress
                    stream.avail_out = uInt(cp.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw CNNError.io("\(name): corrupt deflate data (zlib status \(status))")
                    }
                    if let base = cp.baseAddress { out.append(base, count: cp.count - Int(stream.avail_out)) }
                }
                guard out.count <= expected else {
                    throw CNNError.io("\(name): inflates to more than its declared \(expected) bytes")
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 { break }
            } while status != Z_STREAM_END
        }
        return out
    }
}
