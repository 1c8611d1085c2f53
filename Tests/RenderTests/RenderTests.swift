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

/// Vectors, grids, RGB tiles and alternative text: pictures that tell the truth at any size.
@Suite struct PictureTests {
    @Test func vectorsWrapIntoAStripOfReadableCells() throws {
        // 784 values (Flatten of 1×28×28) wrap into rows of 40: 20 rows, every cell at least 8 pixels
        let r = try TensorImage.render(try Tensor.randn([1, 784]), ImageOptions())
        #expect(r.image.width == 40 * 8)
        #expect(r.image.height >= 20 * 8 && r.image.height < 20 * 8 + 24)
        // ten logits: one row of ten cells, at least 160 pixels wide
        let logits = try TensorImage.render(try Tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [10]), ImageOptions())
        #expect(logits.image.width >= 160 && logits.image.width % 10 == 0)
        let cell = logits.image.width / 10
        #expect(logits.image[0, 0] == Colormap.viridis.color(0))
        #expect(logits.image[9 * cell, 0] == Colormap.viridis.color(1))
    }

    @Test func gridsHaveNoEmptySlotsWhereAShapeAllows() {
        #expect(TensorImage.gridColumns(8) == 4)
        #expect(TensorImage.gridColumns(12) == 4)
        #expect(TensorImage.gridColumns(16) == 4)
        #expect(TensorImage.gridColumns(6) == 3)
        #expect(TensorImage.gridColumns(7) == 7)
        #expect(TensorImage.gridColumns(64) == 8)
        #expect(TensorImage.gridColumns(13) == 4)  // 13 in one row would be too wide: 4×4 with three gaps
        #expect(TensorImage.gridColumns(1) == 1)
    }

    @Test func rgbFiltersCarryNoColourBar() throws {
        let w = try Tensor.randn([8, 3, 5, 5])
        let b = try TensorImage.bundle(w)
        let html = try #require(b.data["text/html"])
        #expect(!html.contains("diverging") && html.contains("RGB"))
        #expect(b.data["text/plain"]?.contains("8 RGB tiles, each scaled to its own range") == true)
        let r = try TensorImage.render(w, ImageOptions())
        // 2×4 tiles: the picture is exactly the tiles and the gap between the two rows, no bar underneath
        let tile = (r.image.width - 3 * Swift.max(2, r.image.width / 40)) / 4
        #expect(r.image.height < 2 * tile + tile / 2)
    }

    @Test func smallResultsAreReadableAndLabelled() throws {
        let cm = try Tensor.zeros([10, 10])
        let b = try TensorImage.bundle(cm)
        #expect((b.metadata["image/png"]?["width"] ?? 0) >= 160)
        let html = try #require(b.data["text/html"])
        #expect(html.contains("alt=\"image [10, 10]: 1 map"))
        #expect(html.contains("width: 160px"))  // the colour bar's labels get room beside a small picture
    }

    @Test func plotsCarryAlternativeText() {
        let svg = LinePlotSVG.render([Series(name: "loss", y: [3, 2, 1])], title: "training")
        #expect(svg.contains("role=\"img\"") && svg.contains("<title>training: loss of 3 points ending at 1</title>"))
    }
}

/// `explore(model, x)` and `conv_demo`: self-contained interactive outputs with fallbacks.
@Suite struct InteractiveOutputTests {
    @Test func explorerCarriesEveryLayerItsWindowsAndFallbacks() throws {
        let m = Sequential([
            try Conv2d(1, 3, kernel: IntPair(3), stride: IntPair(2), padding: IntPair(1)), Activation(.relu),
            Flatten(), try Linear(3 * 4 * 4, 5),
        ])
        let x = try Tensor.randn([2, 1, 8, 8])
        var sections = [ExplorerSection(name: "input", typeName: "input", tensor: x, window: nil)]
        var previous = x.shape
        for a in try m.activations(for: x) {
            sections.append(
                ExplorerSection(
                    name: a.name, typeName: a.typeName, tensor: a.output,
                    window: a.layer.measuredWindow(inputShape: previous)))
            previous = a.output.shape
        }
        let b = try ActivationExplorer.bundle(sections)
        let html = try #require(b.data["text/html"])
        _ = try decodePNG(try #require(Data(base64Encoded: b.data["image/png"] ?? "")))
        #expect(html.contains("<script>") && !html.contains("src=\"http") && !html.contains("__DATA__"))
        #expect(html.contains("alt=\"activation maps of 4 layers"))
        // the data: one section per layer plus the input, windows where cells read a window
        let start = try #require(html.range(of: "var D = "))
        let end = try #require(html.range(of: ";\n", range: start.upperBound..<html.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
        let secs = try #require((json as? [String: Any])?["sections"] as? [[String: Any]])
        #expect(secs.map { $0["name"] as? String } == ["input", "0", "1", "2", "3"])
        #expect(secs[1]["window"] as? [Int] == [3, 3, 2, 2, 1, 1])
        #expect(secs[2]["window"] as? [Int] == [1, 1, 1, 1, 0, 0])
        #expect(secs[3]["window"] == nil && secs[4]["window"] == nil)
        #expect(secs[3]["flat"] as? Bool == true && secs[3]["count"] as? Int == 48)
        // image 0's values, exactly, as little-endian Float32
        let data = try #require(Data(base64Encoded: secs[1]["data"] as? String ?? ""))
        let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let expected = try m.activations(for: x)[0].output.index([.index(0)]).values.map { Float($0) }
        #expect(floats == expected)
        #expect(b.data["text/plain"]?.contains("3 Linear: [2, 5]") == true)
    }

    @Test func convDemoShowsTheLecturesOutputVolume() throws {
        let (x, w, b) = try LectureExample.tensors(dtype: .float64)
        let y = try x.conv2d(w, bias: b, Conv2dOptions(stride: 2, padding: 1))
        var padded = [Double](repeating: 0, count: 3 * 49)
        for c in 0..<3 {
            for r in 0..<5 { for q in 0..<5 { padded[(c * 7 + r + 1) * 7 + q + 1] = x.values[(c * 5 + r) * 5 + q] } }
        }
        let bundle = try ConvDemo.bundle(
            ConvDemo.Volume(
                input: try Tensor(padded, shape: [3, 7, 7], dtype: .float64), padding: IntPair(1), weight: w,
                bias: b.values, output: try y.index([.index(0)]), stride: IntPair(2)))
        let text = try #require(bundle.data["text/plain"])
        #expect(text.contains("−3 −1 0\n  −1 −8 2\n  3 0 3"))
        #expect(text.contains("1 4 2\n  −1 4 5\n  3 1 3"))
        let html = try #require(bundle.data["text/html"])
        #expect(html.components(separatedBy: "class=\"stride-conv-x\"").count - 1 == 3)
        #expect(html.components(separatedBy: "class=\"stride-conv-w\"").count - 1 == 6)
        #expect(html.components(separatedBy: "class=\"stride-conv-o\"").count - 1 == 2)
        #expect(html.contains("output volume 2×3×3"))
    }
}

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
