import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

@Suite struct ImageTests {
    func plain() -> ImageOptions {
        var o = ImageOptions()
        o.colorBar = false
        o.minTile = 1
        o.minWidth = 0
        return o
    }

    @Test func knownTensorMapsToTheColormapEnds() throws {
        let t = try Tensor([0, 1, 2, 3], shape: [2, 2])
        let b = try TensorImage.bundle(t, plain())
        let (w, h, px) = try decodePNG(try #require(Data(base64Encoded: b.data["image/png"] ?? "")))
        #expect(w == 2 && h == 2)
        #expect(b.metadata["image/png"]?["width"] == 2)
        let lo = Colormap.viridis.color(0), hi = Colormap.viridis.color(1)
        #expect(Array(px[0..<3]) == [lo.0, lo.1, lo.2])
        #expect(Array(px[9..<12]) == [hi.0, hi.1, hi.2])
        #expect(lo == (68, 1, 84) && hi == (253, 231, 37))
        let html = try #require(b.data["text/html"])
        // the colour bar's range, three significant digits; no 0 mark on a scale that is not diverging
        #expect(html.contains("<span>0</span><span>3</span>"))
        let signed = try #require(
            try TensorImage.bundle(try Tensor([-2, 0.5, 1, 2.25], shape: [2, 2]), plain()).data["text/html"])
        #expect(signed.contains("<span>-2.25</span><span>0</span><span>2.25</span>"))
    }

    @Test func legendNumbersHaveThreeSignificantDigits() {
        let cases: [(Double, String)] = [
            (1.74231, "1.74"), (0.961406, "0.961"), (1234.5, "1230"), (-0.5, "-0.5"), (9.996, "10"), (0, "0"),
            (0.000123456, "0.000123"), (1.5e-5, "1.5e-5"), (-2.5e7, "-2.5e+7"), (100, "100"), (999.7, "1000"),
        ]
        for (v, s) in cases { #expect(Legend.number(v) == s, "\(v)") }
    }

    @Test func signedDataUsesTheDivergingMapCentredOnZero() throws {
        let t = try Tensor([-2, 0, 1, 2], shape: [2, 2])
        let r = try TensorImage.render(t, plain())
        #expect(r.colormap == .diverging && r.lo == -2 && r.hi == 2)
        #expect(r.image[1, 0] == (255, 255, 255))  // zero is white
    }

    @Test func rgbFiltersKeepChannelOrder() throws {
        // one 3×1×1 filter: pure red channel high
        let t = try Tensor([1, 0, 0], shape: [1, 3, 1, 1])
        let r = try TensorImage.render(t, plain())
        #expect(r.image[0, 0] == (255, 0, 0))
        let g = try TensorImage.render(try Tensor([0, 1, 0], shape: [1, 3, 1, 1]), plain())
        #expect(g.image[0, 0] == (0, 255, 0))
    }

    @Test func gridsAndBounds() throws {
        let r = try TensorImage.render(try Tensor.randn([10, 5, 5]), ImageOptions())
        #expect(r.maps == 10 && r.shown == 10)
        #expect(r.image.width >= 4 * 5)  // 4 columns of upscaled 5×5 maps
        let big = try TensorImage.render(try Tensor.randn([64, 112, 112]), ImageOptions())
        #expect(big.image.width * big.image.height * 3 < 2_100_000)
        #expect(big.shown < 64 && big.note != nil)
        let png = try TensorImage.bundle(try Tensor.randn([64, 112, 112]))
        #expect((png.data["image/png"]?.count ?? 0) < 2_800_000)
    }

    @Test func activationGridLabelsEveryLayer() throws {
        let m = Sequential([
            try Conv2d(1, 3, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu), try MaxPool2d(IntPair(2)),
            try Conv2d(3, 4, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        ])
        let x = try Tensor.randn([1, 1, 8, 8])
        let b = try ActivationGrid.bundle(input: x, activations: try m.activations(for: x))
        let html = try #require(b.data["text/html"])
        #expect(html.components(separatedBy: "<figure").count - 1 == 6)  // input + 5 layers
        for label in ["0 Conv2d — [1, 3, 8, 8]", "2 MaxPool2d — [1, 3, 4, 4]", "4 ReLU — [1, 4, 4, 4]"] {
            #expect(html.contains(label), "\(label)")
        }
        for m in html.components(separatedBy: "base64,").dropFirst() {
            let b64 = String(m.prefix { $0 != "\"" })
            _ = try decodePNG(try #require(Data(base64Encoded: b64)))
        }
    }
}
