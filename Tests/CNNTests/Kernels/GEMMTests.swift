import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

/// Tiles of a split product are even along each axis and at least one per worker where they can be.
@Suite struct GEMMTileTests {
    @Test func tilesAreBalanced() {
        // 512 columns under a 455-column limit: two tiles of 256, not 455 and 57
        #expect(GEMM.balancedTiles(m: 256, n: 512, mt: 256, nt: 455, workers: 2) == (256, 256))
        // one tile that fits: split for two workers along the longer side
        #expect(GEMM.balancedTiles(m: 256, n: 512, mt: 256, nt: 512, workers: 2) == (256, 256))
        #expect(GEMM.balancedTiles(m: 512, n: 128, mt: 512, nt: 128, workers: 2) == (256, 128))
        // small tiles are not split further
        #expect(GEMM.balancedTiles(m: 64, n: 64, mt: 64, nt: 64, workers: 8) == (64, 64))
        // many parts: ends, and every tile is covered
        let (tm, tn) = GEMM.balancedTiles(m: 1000, n: 1000, mt: 67, nt: 1000, workers: 64)
        #expect(tm >= 16 && tn >= 16 && tm <= 80)
    }
}
