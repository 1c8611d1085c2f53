public import Foundation

/// The `.safetensors` format (Hugging Face's): an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data. Reading checks what the format's
/// specification requires (ranges inside the data, covering it without overlap, sizes matching shapes, a header
/// under 100 MB) and the memory budget before any tensor is made; F32 and F64 stay as they are, F16 and BF16
/// become Float32, integers and booleans Int64. Writing produces F32, F64 and I64 tensors, names kept in order.
public enum SafeTensors {
    /// Whether `bytes` look like a safetensors file (a plausible header length, then `{`).
    public static func sniff(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 10 else { return false }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return n >= 2 && n <= UInt64(bytes.count - 8) && bytes[8] == UInt8(ascii: "{")
    }

    /// Decodes a file's bytes into named tensors in the header's order of data offsets.
    public static func decode(_ b: [UInt8], name: String) throws -> [(String, Tensor)] {
        guard b.count >= 8 else { throw CNNError.io("\(name): not a safetensors file (shorter than its header)") }
        let declared = b[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= 100_000_000 else {
            throw CNNError.io("\(name): safetensors header of \(declared) bytes (the format allows 100 MB)")
        }
        let hlen = Int(declared)
        guard hlen <= b.count - 8 else {
            throw CNNError.io("\(name): truncated: the header says \(hlen) bytes, the file has \(b.count - 8) after it")
        }
        guard hlen > 0, b[8] == UInt8(ascii: "{"),
            let json = try? JSONSerialization.jsonObject(with: Data(b[8..<(8 + hlen)])) as? [String: Any]
        else {
            throw CNNError.io("\(name): not a safetensors file (the header is not a JSON object)")
        }
        let dataStart = 8 + hlen
        let dataSize = b.count - dataStart
        var entries: [(name: String, dtype: String, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in json where key != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shapeAny = info["shape"] as? [Any], let offsets = info["data_offsets"] as? [Any], offsets.count == 2
            else {
                throw CNNError.io("\(name): entry '\(key)' lacks dtype, shape or data_offsets")
            }
            let shape = try shapeAny.map { d -> Int in
                guard let v = d as? Int, v >= 0 else {
                    throw CNNError.io("\(name): '\(key)' has a bad shape \(shapeAny)")
                }
                return v
            }
            guard let begin = offsets[0] as? Int, let end = offsets[1] as? Int, begin >= 0, begin <= end,
                end <= dataSize
            else {
                throw CNNError.io("\(name): '\(key)' has data offsets \(offsets) outside the \(dataSize) bytes of data")
            }
            let size = try elementSize(dtype, name: name, key: key)
            let count = try Shape.count(shape, "\(name): '\(key)' shape")
            guard try Shape.multiply(count, size, "\(name): '\(key)' size") == end - begin else {
                throw CNNError.io(
                    "\(name): '\(key)' is \(dtype) of shape \(shapeString(shape)), "
                        + "which is \(count * size) bytes, but its range holds \(end - begin)")
            }
            entries.append((key, dtype, shape, begin, end))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for e in entries {
            guard e.begin == covered || e.begin == e.end && e.begin <= covered else {
                throw CNNError.io("\(name): tensor '\(e.name)' overlaps another or leaves a hole at byte \(covered)")
            }
            covered = Swift.max(covered, e.end)
        }
        guard covered == dataSize else {
            throw CNNError.io("\(name): \(dataSize - covered) bytes of data belong to no tensor")
        }
        var out: [(String, Tensor)] = []
        for e in entries {
            try Cancellation.check()
            out.append((e.name, try tensor(b, from: dataStart + e.begin, e.dtype, e.shape)))
        }
        return out
    }

    static func elementSize(_ dtype: String, name: String, key: String) throws -> Int {
        switch dtype {
        case "F64", "I64", "U64": return 8
        case "F32", "I32", "U32": return 4
        case "F16", "BF16", "I16", "U16": return 2
        case "I8", "U8", "BOOL": return 1
        default: throw CNNError.io("\(name): '\(key)' has dtype \(dtype), which Stride does not read")
        }
    }

    static func tensor(_ b: [UInt8], from start: Int, _ dtype: String, _ shape: [Int]) throws -> Tensor {
        let n = try Shape.count(shape)
        let out: Tensor
        func le(_ o: Int, _ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<size { v |= UInt64(b[o + k]) << (8 * UInt64(k)) }
            return v
        }
        switch dtype {
        case "F64":
            out = try Tensor(shape: shape, dtype: .float64, zeroed: false)
            let p = out.data(Double.self)
            for i in 0..<n { p[i] = Double(bitPattern: le(start + 8 * i, 8)) }
        case "F32", "F16", "BF16":
            out = try Tensor(shape: shape, dtype: .float32, zeroed: false)
            let p = out.data(Float.self)
            for i in 0..<n {
                switch dtype {
                case "F32": p[i] = Float(bitPattern: UInt32(le(start + 4 * i, 4)))
                case "F16": p[i] = Float(Float16Bits(UInt16(le(start + 2 * i, 2))))
                default: p[i] = Float(bitPattern: UInt32(le(start + 2 * i, 2)) << 16)
                }
            }
        default:
            let size = try elementSize(dtype, name: "", key: "")
            out = try Tensor(shape: shape, dtype: .int64, zeroed: false)
            let p = out.data(Int64.self)
            let signed = dtype.hasPrefix("I")
            for i in 0..<n {
                let bits = le(start + size * i, size)
                if signed && size < 8 {
                    let shift = UInt64(64 - 8 * size)
                    p[i] = Int64(bitPattern: bits << shift) >> Int64(shift)
                } else {
                    p[i] = Int64(bitPattern: bits)
                }
            }
        }
        return out
    }

    /// Encodes named tensors (F32, F64 or I64, C order), in the given order.
    public static func encode(_ items: [(String, Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        var parts: [Tensor] = []
        for (key, t0) in items {
            let t = try t0.detach().contiguous()
            let dtype = t.dtype == .float32 ? "F32" : (t.dtype == .float64 ? "F64" : "I64")
            let size = t.count * t.dtype.byteSize
            header[key] = ["dtype": dtype, "shape": t.shape, "data_offsets": [offset, offset + size]]
            offset += size
            parts.append(t)
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        var d = Data((0..<8).map { UInt8((json.count >> (8 * $0)) & 0xff) })
        d.append(json)
        for t in parts {
            d.append(Data(bytes: t.storage.raw + t.offset * t.dtype.byteSize, count: t.count * t.dtype.byteSize))
        }
        return d
    }
}
