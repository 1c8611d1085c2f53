import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

/// A map larger than the picture's limit is drawn from every step-th row and column.
@Suite struct LargeMapTests {
    @Test func aHugeMapIsSampledNotDrawnInFull() throws {
        // 1200×1000 values, a left-to-right ramp: the picture stays under the limit and keeps the ramp's ends
        var v = [Double](repeating: 0, count: 1200 * 1000)
        for y in 0..<1200 { for x in 0..<1000 { v[y * 1000 + x] = Double(x) } }
        var o = ImageOptions()
        o.colorBar = false
        let r = try TensorImage.render(try Tensor(v, shape: [1200, 1000]), o)
        #expect(r.step == 2 && r.image.width == 500 && r.image.height == 600)
        #expect(r.image.width * r.image.height <= o.maxPixels)
        #expect(r.note == "drawn at 1/2 scale")
        #expect(r.image[0, 0] == Colormap.viridis.color(0))
        #expect(r.image[499, 599] == Colormap.viridis.color(1))  // x = 998 of 0…999 rounds to the top entry
    }
}
