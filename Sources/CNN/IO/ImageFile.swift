import CJPEG
import CPNG
public import Foundation

/// Image files through the system libraries: PNG (8/16-bit, grey, grey+alpha, RGB, RGBA, palette; libpng) and
/// JPEG (grey, RGB; libjpeg-turbo) are read as C×H×W Float32 tensors in [0, 1]; PNG is written from them.
/// The header is read first, so an image too large for the session's memory budget (a "PNG bomb") is a
/// `MemoryError` before any pixel is decoded; decoding checks the interrupt every few rows.
public enum ImageFile {
    /// Reads a PNG or JPEG file (told apart by their signatures, not by the name).
    public static func read(_ path: String) throws -> Tensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CNNError.io("cannot read \(path): no such file or not readable")
        }
        return try decode(data, name: path)
    }

    /// Decodes PNG or JPEG bytes; `name` appears in errors.
    public static func decode(_ data: Data, name: String) throws -> Tensor {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try decodePNG(bytes, name: name) }
        if bytes.starts(with: [0xFF, 0xD8]) { return try decodeJPEG(bytes, name: name) }
        throw CNNError.io("\(name): not a PNG or JPEG file (unknown signature)")
    }

    /// Asked by the C decoders every few rows: nonzero when the running cell was interrupted.
    private static let shouldStop: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        guard let context else { return 0 }
        let token = Unmanaged<CancellationToken>.fromOpaque(context).takeUnretainedValue()
        return token.isCancelled ? 1 : 0
    }

    static func decodePNG(_ bytes: [UInt8], name: String) throws -> Tensor {
        var info = stride_png_info()
        let header = bytes.withUnsafeBufferPointer { b in stride_png_read(b.baseAddress, b.count, &info, nil, nil, nil)
        }
        guard header == 0 else { throw CNNError.io("\(name): \(message(&info.message))") }
        let (w, h, c, depth) = (Int(info.width), Int(info.height), Int(info.channels), Int(info.depth))
        guard depth == 8 || depth == 16, (1...4).contains(c) else {
            throw CNNError.io("\(name): unsupported PNG layout (\(c) channels of \(depth) bits)")
        }
        let count = try Shape.count([c, h, w], "\(name): image")
        let out = try Tensor(shape: [c, h, w], dtype: .float32, zeroed: false)
        let bytesNeeded = try Shape.multiply(count, depth / 8, "\(name): image bytes")
        try MemoryBudget.current.check(bytesNeeded, "the decoded image \(name)")
        var raw = [UInt8](repeating: 0, count: bytesNeeded)
        try readStopping(name, message: { message(&info.message) }) { stop in
            bytes.withUnsafeBufferPointer { b in
                raw.withUnsafeMutableBufferPointer { r in
                    stride_png_read(b.baseAddress, b.count, &info, r.baseAddress, shouldStop, stop)
                }
            }
        }
        let o = out.data(Float.self)
        raw.withUnsafeBytes { r in
            if depth == 8, let base = r.bindMemory(to: UInt8.self).baseAddress {
                planar(base, o, width: w, height: h, channels: c, scale: 1 / 255)
            } else if let base = r.bindMemory(to: UInt16.self).baseAddress {
                planar(base, o, width: w, height: h, channels: c, scale: 1 / 65535)
            }
        }
        return out
    }

    static func decodeJPEG(_ bytes: [UInt8], name: String) throws -> Tensor {
        var info = stride_jpeg_info()
        let header = bytes.withUnsafeBufferPointer { b in stride_jpeg_read(b.baseAddress, b.count, &info, nil, nil, nil)
        }
        guard header == 0 else { throw CNNError.io("\(name): \(message(&info.message))") }
        let (w, h, c) = (Int(info.width), Int(info.height), Int(info.channels))
        let count = try Shape.count([c, h, w], "\(name): image")
        let out = try Tensor(shape: [c, h, w], dtype: .float32, zeroed: false)
        try MemoryBudget.current.check(count, "the decoded image \(name)")
        var raw = [UInt8](repeating: 0, count: count)
        try readStopping(name, message: { message(&info.message) }) { stop in
            bytes.withUnsafeBufferPointer { b in
                raw.withUnsafeMutableBufferPointer { r in
                    stride_jpeg_read(b.baseAddress, b.count, &info, r.baseAddress, shouldStop, stop)
                }
            }
        }
        raw.withUnsafeBufferPointer { r in
            guard let base = r.baseAddress else { return }
            planar(base, out.data(Float.self), width: w, height: h, channels: c, scale: 1 / 255)
        }
        return out
    }

    /// Runs a decoder whose callbacks poll `stop` (the running cancellation token, or nil); a failure becomes
    /// Interrupted when the token stopped it, else an IOError with the library's message.
    static func readStopping(
        _ name: String, message: () -> String, _ read: (UnsafeMutableRawPointer?) -> Int32
    ) throws {
        let token = Cancellation.current
        let status = withExtendedLifetime(token) { read(token.map { Unmanaged.passUnretained($0).toOpaque() }) }
        guard status == 0 else {
            if token?.isCancelled == true { throw CNNError.interrupted }
            throw CNNError.io("\(name): \(message())")
        }
    }

    /// Interleaved samples (H×W×C) to planes (C×H×W), scaled to [0, 1].
    static func planar<S: BinaryInteger>(
        _ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<Float>, width: Int, height: Int, channels: Int,
        scale: Float
    ) {
        let plane = width * height
        for p in 0..<plane {
            for k in 0..<channels { dst[k * plane + p] = Float(src[p * channels + k]) * scale }
        }
    }

    private static func message<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Encodes a C×H×W (C = 1, 2, 3 or 4) or H×W tensor with values in [0, 1] (clamped) as 8-bit PNG bytes.
    public static func encodePNG(_ t0: Tensor, name: String = "image") throws -> Data {
        let t = try (t0.shape.count == 2 ? t0.reshaped([1] + t0.shape) : t0).contiguous()
        guard t.shape.count == 3, (1...4).contains(t.shape[0]) else {
            throw CNNError.shape(
                "save_image needs a C×H×W tensor with 1 to 4 channels (or H×W), got \(shapeString(t0.shape))")
        }
        let (c, h, w) = (t.shape[0], t.shape[1], t.shape[2])
        guard h > 0, w > 0, h < 1 << 24, w < 1 << 24 else {
            throw CNNError.shape("save_image: an image needs 1 to 2^24 rows and columns, got \(h)×\(w)")
        }
        let plane = h * w
        var pixels = [UInt8](repeating: 0, count: try Shape.multiply(c, plane, "\(name): image"))
        for p in 0..<plane {
            for k in 0..<c {
                let v = t.storage.get(t.offset + k * plane + p)
                let clamped = v.isNaN ? 0 : Swift.min(1, Swift.max(0, v))
                pixels[p * c + k] = UInt8((clamped * 255).rounded())
            }
        }
        return try PNG.encode(pixels, width: w, height: h, channels: c, name: name)
    }

    /// Writes a PNG file (its name must end in .png: a file is the format its name says).
    public static func writePNG(_ t: Tensor, to path: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "png" else {
            throw CNNError.io(
                "cannot save \(path) as an image: save_image writes PNG files, so the name must end in .png"
                    + (["jpg", "jpeg"].contains(ext)
                        ? " (JPEG is read, not written: its compression loses values)" : ""))
        }
        try FileWrite.atomically(try encodePNG(t, name: path), to: path)
    }
}
