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

@Suite struct ImageTests {
    func plain() -> ImageOptions { var o = ImageOptions(); o.colorBar = false; o.minTile = 1; return o }

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
        #expect(html.contains("<span>0.000</span>") && html.contains("<span>3.000</span>"))  // the colour bar's range
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

final class PolylineCounter: NSObject, XMLParserDelegate {
    var series: [Int] = []
    var names: [String] = []
    var svgRoot = false
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "svg" { svgRoot = true }
        if name == "polyline", attributes["class"] == "series" {
            series.append((attributes["points"] ?? "").split(separator: " ").count)
            names.append(attributes["data-name"] ?? "")
        }
    }
}

@Suite struct PlotTests {
    @Test func svgParsesWithOnePolylinePerSeries() throws {
        let svg = LinePlotSVG.render(
            [Series(name: "train <loss>", y: [3, 2, 1.5, 1]), Series(name: "test", y: [3.5, 2.5, 2])],
            title: "loss & more", logY: true)
        let parser = XMLParser(data: Data(svg.utf8))
        let c = PolylineCounter()
        parser.delegate = c
        #expect(parser.parse())
        #expect(c.svgRoot && c.series == [4, 3] && c.names == ["train <loss>", "test"])
    }

    @Test func ticksAreNice() {
        #expect(
            LinePlotSVG.ticks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0] || LinePlotSVG.ticks(0, 1).count == 6
        )
        #expect(LinePlotSVG.ticks(0, 100).first == 0 && LinePlotSVG.ticks(0, 100).last == 100)
    }
}

@Suite struct SummaryAndTableTests {
    @Test func summaryTotalsMatchParameterCounts() throws {
        let lenet = try ModelSummary(model: try LeNet5(), input: [1, 1, 32, 32])
        #expect(lenet.totalParams == 61_706 && lenet.text.contains("Total params: 61,706"))
        #expect(lenet.rows.contains { $0.type == "Conv2d" && $0.outputShape == [1, 6, 28, 28] })
        let r18 = try ModelSummary(model: try ResNet18(), input: nil)
        #expect(r18.totalParams == 11_689_512 && r18.html.contains("11,689,512"))
    }

    @Test func smallTensorsBecomePerChannelTables() throws {
        let html = try TensorHTML.render(try Tensor.arange(0, 18).reshaped([2, 3, 3]))
        #expect(html.components(separatedBy: "<table").count - 1 == 2)
        #expect(html.contains("<caption style=\"text-align: left\">[1, :, :]</caption>"))
        let big = try TensorHTML.render(try Tensor.randn([8, 32, 32]))
        #expect(big.contains("<img") && big.contains("mean"))
    }

    @Test func progressBarText() {
        var p = ProgressBar(total: 10, label: "epoch 1", now: 0)
        p.done = 5
        let t = p.text(now: 1)
        #expect(t.contains("50%") && t.contains("5/10") && t.contains("5.0 it/s") && t.contains("0:01<0:01"))
    }
}
