import Testing
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import CZlib
@testable import Render
@testable import CNN
@testable import StrideTestSupport

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
