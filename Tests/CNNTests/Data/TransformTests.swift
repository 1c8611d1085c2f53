import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

@Suite struct TransformTests {
    @Test func normalizeGivesZeroMeanUnitStdPerChannel() throws {
        let x = try Tensor.randn([16, 3, 5, 5]) * 3 + 7
        let (m, s) = try Transforms.channelStats(x)
        let y = try Transforms.normalize(x, mean: m, std: s)
        let (m2, s2) = try Transforms.channelStats(y)
        for c in 0..<3 { #expect(Swift.abs(m2[c]) < 1e-4 && Swift.abs(s2[c] - 1) < 1e-4) }
        #expect(throws: CNNError.self) { try Transforms.normalize(x, mean: [0], std: [1]) }
    }

    @Test func horizontalFlipMirrorsRows() throws {
        let x = try Tensor.arange(0, 6).reshaped([1, 1, 2, 3])
        #expect(try Transforms.horizontalFlip(x, p: 1).values == [2, 1, 0, 5, 4, 3])
        #expect(try Transforms.horizontalFlip(x, p: 0).values == x.values)
    }

    @Test func randomCropKeepsAWindowOfThePaddedImage() throws {
        let x = try Tensor.ones([4, 2, 6, 6])
        let y = try GlobalRandom.$current.withValue(RandomSource(seed: 3)) {
            try Transforms.randomCrop(x, size: 6, padding: 2)
        }
        #expect(y.shape == [4, 2, 6, 6])
        let s = try y.sum().item()
        #expect(s > 0 && s <= 4 * 2 * 36)
        #expect(try Transforms.randomCrop(x, size: 6).values == x.values)  // no padding: the whole image
        #expect(throws: CNNError.self) { try Transforms.randomCrop(x, size: 9, padding: 1) }
    }

    @Test func learningRateSchedulesMatchPyTorch() throws {
        #expect(try Transforms.stepLR(base: 0.1, epoch: 25, step: 10, gamma: 0.5) == 0.025)
        #expect(try Transforms.cosineLR(base: 0.1, epoch: 0, epochs: 10) == 0.1)
        #expect(Swift.abs(try Transforms.cosineLR(base: 0.1, epoch: 5, epochs: 10) - 0.05) < 1e-12)
        #expect(Swift.abs(try Transforms.cosineLR(base: 0.1, epoch: 10, epochs: 10, min: 0.001) - 0.001) < 1e-12)
    }
}
