public import Foundation

/// NumPy `.npy` reading and writing. Float32, float64, integer, bool and uint8 arrays are read (integers
/// and bools become Int64 tensors, float16 Float32, float64 stays Float64); what we write NumPy reads back
/// exactly (`<f4` / `<f8` / `<i8`, C order, format 1.0).
public enum NPY {
    /// Encodes a tensor as `.npy` bytes.
    public static func encode(_ t0: Tensor) throws -> Data {
        let t = try t0.contiguous()
        var d = header(t)
        d.append(Data(bytes: t.storage.raw + t.offset * t.dtype.byteSize, count: t.count * t.dtype.byteSize))
        return d
    }

    /// The `.npy` header for a contiguous tensor (format 1.0, padded to 64 bytes).
    static func header(_ t: Tensor) -> Data {
        let descr = t.dtype == .float32 ? "<f4" : (t.dtype == .float64 ? "<f8" : "<i8")
        let shapeStr =
            t.shape.isEmpty
            ? "()"
            : (t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeStr), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let hl = UInt16(header.utf8.count)
        d.append(contentsOf: [UInt8(hl & 0xff), UInt8(hl >> 8)])
        d.append(contentsOf: Array(header.utf8))
        return d
    }

    /// What a `.npy` header says.
    struct Header {
        var dims: [Int]
        var count: Int
        var body: Int
        var little: Bool
        var code: String
        var size: Int
        var fortran: Bool
        var descr: String
        /// The file's bytes are the tensor's (little-endian float32, float64 or int64 in C order).
        var native: Bool { little && !fortran && (code == "f4" || code == "f8" || code == "i8") }
        var dtype: DType { code == "f8" ? .float64 : (code == "f4" || code == "f2" ? .float32 : .int64) }
    }

    /// Parses the header at the start of `b` (which may hold only the file's first bytes).
    static func parseHeader(_ b: [UInt8], name: String) throws -> Header {
        guard b.count >= 10, b[0] == 0x93, Array(b[1..<6]) == Array("NUMPY".utf8) else {
            throw CNNError.io("\(name): not a NumPy .npy file (bad magic)")
        }
        let major = b[6]
        let hlen: Int
        let hstart: Int
        if major == 1 {
            hlen = Int(b[8]) | Int(b[9]) << 8
            hstart = 10
        } else if major == 2 || major == 3 {
            guard b.count >= 12 else { throw CNNError.io("\(name): truncated .npy header") }
            hlen = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            hstart = 12
        } else {
            throw CNNError.io("\(name): unsupported .npy version \(major)")
        }
        guard hstart + hlen <= b.count, let header = String(bytes: b[hstart..<(hstart + hlen)], encoding: .utf8) else {
            throw CNNError.io("\(name): truncated .npy header")
        }
        guard let descr = field(header, "descr"), let shapeText = field(header, "shape") else {
            throw CNNError.io("\(name): .npy header lacks descr or shape: \(header)")
        }
        let fortran = header.contains("'fortran_order': True")
        let dims = try shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { s -> Int in
                guard let v = Int(s), v >= 0 else { throw CNNError.io("\(name): bad shape \(shapeText)") }
                return v
            }
        let n = try Shape.count(dims, "\(name): .npy shape")
        let code = String(descr.drop(while: { "<>|=".contains($0) }))
        let size: Int
        switch code {
        case "f4", "i4", "u4": size = 4
        case "f8", "i8", "u8": size = 8
        case "i2", "u2", "f2": size = 2
        case "u1", "i1", "b1": size = 1
        default:
            throw CNNError.io(
                "\(name): unsupported dtype \(descr) (float32, float64, integers, bool and uint8 are read)")
        }
        return Header(
            dims: dims, count: n, body: hstart + hlen, little: !descr.hasPrefix(">"), code: code, size: size,
            fortran: fortran, descr: descr)
    }

    /// Decodes `.npy` bytes.
    public static func decode(_ data: Data, name: String = "array") throws -> Tensor {
        let b = [UInt8](data)
        let h = try parseHeader(b, name: name)
        let (dims, n, body, little, code, size, fortran, descr) =
            (h.dims, h.count, h.body, h.little, h.code, h.size, h.fortran, h.descr)
        guard (b.count - body) / size >= n else {
            throw CNNError.io("\(name): data is truncated: \(b.count - body) bytes for \(n) elements of \(size) bytes")
        }
        let out = try Tensor(shape: dims, dtype: h.dtype, zeroed: false)
        let native = h.native
        try b.withUnsafeBytes { raw in
            if native, let src = raw.baseAddress {
                // the file's bytes are the tensor's: copied in 16 MiB pieces, the interrupt checked between
                let total = n * size
                var done = 0
                while done < total {
                    try Cancellation.check()
                    let k = Swift.min(total - done, 16 << 20)
                    (out.storage.raw + done).copyMemory(from: src + body + done, byteCount: k)
                    done += k
                }
                return
            }
            for i in 0..<n {
                if i & 0xFFFFF == 0 { try Cancellation.check() }
                let o = body + i * size
                var bits: UInt64 = 0
                for k in 0..<size { bits |= UInt64(raw[o + (little ? k : size - 1 - k)]) << (8 * k) }
                let v: Double
                switch code {
                case "f4": v = Double(Float(bitPattern: UInt32(bits)))
                case "f8": v = Double(bitPattern: bits)
                case "f2": v = Double(Float(Float16Bits(UInt16(bits))))
                case "i1": v = Double(Int8(truncatingIfNeeded: bits))
                case "i2": v = Double(Int16(truncatingIfNeeded: bits))
                case "i4": v = Double(Int32(truncatingIfNeeded: bits))
                case "i8":
                    out.data(Int64.self)[i] = Int64(bitPattern: bits)
                    continue
                case "u8":
                    out.data(Int64.self)[i] = Int64(truncatingIfNeeded: bits)
                    continue
                case "u1", "b1", "u2", "u4": v = Double(bits)
                default: throw CNNError.io("\(name): unsupported dtype \(descr)")
                }
                out.storage.set(i, v)
            }
        }
        if fortran && dims.count > 1 {
            let reversed = Array(dims.reversed())
            let t = out.view(shape: reversed, strides: contiguousStrides(reversed), offset: 0)
            return try t.permuted(Array((0..<dims.count).reversed())).contiguous().detach()
        }
        return out
    }

    /// Reads a `.npy` file; a native one (little-endian float32, float64 or int64) straight into the tensor's
    /// memory in 16 MiB pieces, the interrupt checked between them.
    public static func read(_ path: String) throws -> Tensor {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CNNError.io("cannot read \(path): no such file or not readable") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CNNError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        let fileSize = Int(st.st_size)
        var head = [UInt8](repeating: 0, count: Swift.min(fileSize, 1 << 20))
        guard try readFully(fd, &head, at: 0, path) == head.count else {
            throw CNNError.io("cannot read \(path): it changed while being read")
        }
        let h = try parseHeader(head, name: path)
        guard h.native else {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw CNNError.io("cannot read \(path): no such file or not readable")
            }
            return try decode(d, name: path)
        }
        let bytes = try Shape.multiply(h.count, h.size, "\(path): data size")
        guard fileSize - h.body >= bytes else {
            throw CNNError.io(
                "\(path): data is truncated: \(fileSize - h.body) bytes for \(h.count) elements of \(h.size) bytes")
        }
        let out = try Tensor(shape: h.dims, dtype: h.dtype, zeroed: false)
        var done = 0
        while done < bytes {
            try Cancellation.check()
            let k = Swift.min(bytes - done, 16 << 20)
            let n = pread(fd, out.storage.raw + done, k, off_t(h.body + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw CNNError.io("cannot read \(path): the file ended or failed at byte \(h.body + done)")
            }
            done += n
        }
        return out
    }

    static func readFully(_ fd: Int32, _ buffer: inout [UInt8], at offset: Int, _ path: String) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(fd, base + done, raw.count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw CNNError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            done += n
        }
        return done
    }
    /// Writes a `.npy` file.
    /// Writes a `.npy` file straight from the tensor's memory (no copy of a contiguous tensor).
    public static func write(_ t0: Tensor, to path: String) throws {
        let t = try t0.contiguous()
        try FileWrite.atomically(to: path) { sink in
            try sink.write(header(t))
            try sink.write(
                UnsafeRawBufferPointer(
                    start: t.storage.raw + t.offset * t.dtype.byteSize, count: t.count * t.dtype.byteSize))
        }
    }

    static func field(_ header: String, _ key: String) -> String? {
        guard let r = header.range(of: "'\(key)':") else { return nil }
        let rest = header[r.upperBound...].trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("'") {
            let s = rest.dropFirst()
            guard let e = s.firstIndex(of: "'") else { return nil }
            return String(s[..<e])
        }
        if rest.hasPrefix("(") {
            guard let e = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...e])
        }
        return nil
    }
}

/// IEEE half → Float without relying on Float16 availability.
func Float16Bits(_ h: UInt16) -> Float {
    let s = UInt32(h >> 15) << 31, e = Int((h >> 10) & 0x1f), m = UInt32(h & 0x3ff)
    if e == 0 { return (s != 0 ? -1 : 1) * Float(m) * 0x1p-24 }
    if e == 31 { return Float(bitPattern: s | 0x7f80_0000 | (m << 13)) }
    return Float(bitPattern: s | UInt32(e - 15 + 127) << 23 | (m << 13))
}
