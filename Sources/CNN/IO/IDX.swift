public import Foundation

/// MNIST-style IDX files (optionally gzipped): integer elements become Int64 tensors, floats Float32/Float64.
public enum IDX {
    public static func decode(_ data0: Data, name: String = "idx") throws -> Tensor {
        var data = data0
        if data.count >= 2, data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b {
            data = try ZipArchive.inflate(data, expected: MemoryBudget.current.available, name: name, gzip: true)
        }
        let b = [UInt8](data)
        guard b.count >= 4, b[0] == 0, b[1] == 0 else { throw CNNError.io("\(name): not an IDX file (bad magic)") }
        let type = b[2], nd = Int(b[3])
        guard nd >= 1, b.count >= 4 + 4 * nd else { throw CNNError.io("\(name): truncated IDX header") }
        let dims = (0..<nd).map { k in (0..<4).reduce(0) { $0 << 8 | Int(b[4 + 4 * k + $1]) } }
        let n = try Shape.count(dims, "\(name): IDX shape")
        let size: Int
        switch type {
        case 0x08, 0x09: size = 1
        case 0x0B: size = 2
        case 0x0C, 0x0D: size = 4
        case 0x0E: size = 8
        default: throw CNNError.io("\(name): unknown IDX element type 0x\(String(type, radix: 16))")
        }
        let body = 4 + 4 * nd
        guard (b.count - body) / size >= n else {
            throw CNNError.io("\(name): data truncated: \(b.count - body) bytes for \(n) elements of \(size) bytes")
        }
        let dtype: DType = type == 0x0E ? .float64 : (type == 0x0D ? .float32 : .int64)
        let out = try Tensor(shape: dims, dtype: dtype, zeroed: false)
        for i in 0..<n {
            let o = body + i * size
            var bits: UInt64 = 0
            for k in 0..<size { bits = bits << 8 | UInt64(b[o + k]) }
            let v: Double
            switch type {
            case 0x08: v = Double(bits)
            case 0x09: v = Double(Int8(truncatingIfNeeded: bits))
            case 0x0B: v = Double(Int16(truncatingIfNeeded: bits))
            case 0x0C: v = Double(Int32(truncatingIfNeeded: bits))
            case 0x0D: v = Double(Float(bitPattern: UInt32(bits)))
            default: v = Double(bitPattern: bits)
            }
            out.storage.set(i, v)
        }
        return out
    }
    public static func read(_ path: String) throws -> Tensor {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw CNNError.io("cannot read \(path): no such file or not readable")
        }
        return try decode(d, name: path)
    }
}
