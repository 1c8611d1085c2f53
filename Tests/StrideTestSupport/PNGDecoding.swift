import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN

/// A minimal PNG decoder for tests: checks the signature and every chunk CRC, inflates IDAT,
/// and returns width, height and RGB pixels (filter type 0 rows only, which is what we write).
func decodePNG(_ data: Data) throws -> (Int, Int, [UInt8]) {
    let b = [UInt8](data)
    struct Bad: Error { let why: String }
    guard b.count > 8, Array(b[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
        throw Bad(why: "signature")
    }
    var p = 8, w = 0, h = 0
    var idat = [UInt8]()
    func be(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
    while p + 12 <= b.count {
        let len = be(p)
        let type = String(decoding: b[(p + 4)..<(p + 8)], as: UTF8.self)
        let body = Array(b[(p + 8)..<(p + 8 + len)])
        let crc = Array(b[(p + 4)..<(p + 8 + len)]).withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        guard Int(crc) == be(p + 8 + len) else { throw Bad(why: "CRC of \(type)") }
        if type == "IHDR" {
            w = be(p + 8); h = be(p + 12); guard body[8] == 8 && body[9] == 2 else { throw Bad(why: "not 8-bit RGB") }
        }
        if type == "IDAT" { idat += body }
        if type == "IEND" { break }
        p += 12 + len
    }
    let rowBytes: Int = w * 3 + 1
    var out = [UInt8](repeating: 0, count: rowBytes * h)
    var outLen = uLongf(out.count)
    let rc = idat.withUnsafeBufferPointer { src in uncompress(&out, &outLen, src.baseAddress, uLong(idat.count)) }
    guard rc == Z_OK, Int(outLen) == out.count else { throw Bad(why: "zlib \(rc)") }
    var px = [UInt8]()
    for y in 0..<h {
        let start: Int = y * rowBytes
        guard out[start] == 0 else { throw Bad(why: "filter") }
        px += out[(start + 1)..<(start + rowBytes)]
    }
    return (w, h, px)
}
