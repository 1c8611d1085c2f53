import CPNG
public import Foundation

/// PNG encoding through libpng, the one encoder for files (`save_image`) and pictures (Render).
public enum PNG {
    /// Encodes 8-bit interleaved samples (1 grey, 2 grey+alpha, 3 RGB or 4 RGBA channels a pixel, rows packed):
    /// no row filter, zlib level 1 for large images (encoding speed decides how fast a picture appears) and 6
    /// for small ones.
    public static func encode(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int, name: String = "image"
    ) throws -> Data {
        guard (1...4).contains(channels), width > 0, height > 0, pixels.count == width * height * channels else {
            throw CNNError.shape(
                "\(name): a PNG needs \(width)×\(height)×\(channels) samples (1–4 channels), got \(pixels.count)")
        }
        var size = 0
        var failure = [CChar](repeating: 0, count: 256)
        let level: Int32 = pixels.count > 256 * 1024 ? 1 : 6
        let encoded = pixels.withUnsafeBufferPointer { p in
            stride_png_write(p.baseAddress, UInt32(width), UInt32(height), UInt32(channels), level, &size, &failure)
        }
        guard let buffer = encoded else {
            let text = String(decoding: failure.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CNNError.io("\(name): cannot encode PNG: \(text)")
        }
        defer { free(buffer) }
        return Data(bytes: buffer, count: size)
    }
}
