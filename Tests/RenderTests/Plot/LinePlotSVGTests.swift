import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

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
