public import Foundation
import CNN

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

extension RGBImage {
    /// The image as PNG bytes (CNN's libpng encoder).
    public func png() throws -> Data { try PNG.encode(pixels, width: width, height: height, channels: 3) }
}
