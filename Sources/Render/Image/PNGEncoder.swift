public import Foundation
import CZlib

/// An RGB image, row-major, 3 bytes a pixel.
public struct RGBImage: Sendable {
    public let width: Int, height: Int
    public var pixels: [UInt8]
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { pixels[3 * i] = fill.0; pixels[3 * i + 1] = fill.1; pixels[3 * i + 2] = fill.2 }
    }
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        get { let o = 3 * (y * width + x); return (pixels[o], pixels[o + 1], pixels[o + 2]) }
        set {
            let o = 3 * (y * width + x); pixels[o] = newValue.0; pixels[o + 1] = newValue.1; pixels[o + 2] = newValue.2
        }
    }
    /// Copies `other` with its top-left corner at (x, y), clipped.
    public mutating func blit(_ other: RGBImage, x: Int, y: Int) {
        for yy in 0..<other.height where y + yy >= 0 && y + yy < height {
            for xx in 0..<other.width where x + xx >= 0 && x + xx < width { self[x + xx, y + yy] = other[xx, yy] }
        }
    }
}

/// PNG encoding: IHDR, one zlib-deflated IDAT (through the system zlib), IEND, with CRCs.
public enum PNGEncoder {
    public static func encode(_ img: RGBImage) -> Data {
        var raw = [UInt8]()
        raw.reserveCapacity((img.width * 3 + 1) * img.height)
        for y in 0..<img.height {
            raw.append(0)  // filter: none
            raw.append(contentsOf: img.pixels[(y * img.width * 3)..<((y + 1) * img.width * 3)])
        }
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(be32(img.width)); ihdr.append(be32(img.height))
        ihdr.append(contentsOf: [8, 2, 0, 0, 0])  // 8-bit RGB, deflate, no filter method extras, no interlace
        out.append(chunk("IHDR", ihdr))
        out.append(chunk("IDAT", deflate(raw, level: raw.count > 256 * 1024 ? 1 : 6)))
        out.append(chunk("IEND", Data()))
        return out
    }

    static func be32(_ v: Int) -> Data {
        Data([UInt8((v >> 24) & 0xff), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)])
    }

    static func chunk(_ type: String, _ body: Data) -> Data {
        var c = be32(body.count)
        var td = Data(type.utf8); td.append(body)
        c.append(td)
        let crc = td.withUnsafeBytes { p in crc32(0, p.bindMemory(to: Bytef.self).baseAddress, uInt(td.count)) }
        c.append(be32(Int(crc)))
        return c
    }

    /// zlib-format deflate of `bytes`.
    public static func deflate(_ bytes: [UInt8], level: Int32 = 6) -> Data {
        var destLen = compressBound(uLong(bytes.count))
        var dest = [UInt8](repeating: 0, count: Int(destLen))
        let rc = bytes.withUnsafeBufferPointer { src in
            compress2(&dest, &destLen, src.baseAddress, uLong(bytes.count), level)
        }
        precondition(rc == Z_OK, "zlib compress2 failed with \(rc) on an in-memory buffer")
        return Data(dest[0..<Int(destLen)])
    }
}
