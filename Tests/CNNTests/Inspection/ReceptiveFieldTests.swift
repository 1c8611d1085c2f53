import Testing
@testable import CNN
@testable import StrideTestSupport

/// Receptive fields measured through the gradient: the windows the activation explorer composes.
@Suite struct ReceptiveFieldTests {
    func window(_ l: any Layer, _ shape: [Int]) -> SpatialWindow? { l.measuredWindow(inputShape: shape) }

    @Test func leavesReportTheirDeclaredGeometry() throws {
        let conv = try Conv2d(3, 4, kernel: IntPair(3), stride: IntPair(2), padding: IntPair(1))
        #expect(
            window(conv, [1, 3, 9, 9]) == SpatialWindow(kernel: IntPair(3), stride: IntPair(2), padding: IntPair(1)))
        let dilated = try Conv2d(1, 1, kernel: IntPair(3), padding: IntPair(2), dilation: IntPair(2))
        #expect(window(dilated, [1, 1, 9, 9])?.kernel == IntPair(5))
        #expect(
            window(try MaxPool2d(IntPair(2)), [1, 2, 8, 8])
                == SpatialWindow(kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0)))
        #expect(
            window(Activation(.relu), [1, 2, 5, 5])
                == SpatialWindow(kernel: IntPair(1), stride: IntPair(1), padding: IntPair(0)))
        #expect(window(try Linear(4, 2), [1, 4, 1, 1]) == nil)
        #expect(window(Flatten(), [1, 2, 3, 3]) == nil)
    }

    @Test func aResidualBlockIsMeasuredAsAWhole() throws {
        // two 3×3 convolutions, the first with stride 2: output row i reads input rows 2i − 3 … 2i + 3
        let block = try ResidualBlock(inChannels: 4, planes: 8, stride: 2, bottleneck: false)
        block.train()
        let before = block.allLayers.compactMap { ($0.1 as? BatchNorm2d)?.runningMean.values }
        #expect(
            window(block, [2, 4, 16, 16]) == SpatialWindow(kernel: IntPair(7), stride: IntPair(2), padding: IntPair(3)))
        // the probe runs in evaluation mode and leaves the block as it was
        #expect(block.allLayers.allSatisfy { $0.1.isTraining })
        #expect(block.allLayers.compactMap { ($0.1 as? BatchNorm2d)?.runningMean.values } == before)
    }
}
