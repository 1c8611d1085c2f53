import Testing
@testable import CNN
@testable import StrideTestSupport

/// The lecture's worked example: padded 7×7×3 input, filters W0 and W1, biases 1 and 0, stride 2.
@Suite struct LectureExampleTests {
    // x[:, :, c] panels of the slide (already padded by 1), HWC → stored here per channel.
    static let x0: [Double] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0, 1, 2, 2, 2, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 2, 0, 2, 1, 0, 0, 1,
        0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
    static let x1: [Double] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 2, 1, 2, 0, 0, 1, 2, 1, 0, 0, 0, 0, 1,
        2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
    static let x2: [Double] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 0, 0, 0, 0, 2, 0, 0, 1, 0, 0, 1, 1, 1, 2, 1, 0, 0, 2, 0, 1, 2, 2, 0, 0, 2,
        1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
    static let w0: [Double] = [
        -1, 0, -1, 1, -1, 1, -1, 0, -1, 0, -1, 1, 1, 1, 1, -1, 1, -1, 0, 0, 0, -1, 1, -1, 1, 1, -1,
    ]
    static let w1: [Double] = [
        0, 1, 1, -1, -1, -1, 1, -1, 1, -1, 0, -1, 1, 1, 1, -1, 1, -1, 0, 1, 0, 0, 0, -1, 1, -1, 0,
    ]
    static let o0: [Double] = [-3, -1, 0, -1, -8, 2, 3, 0, 3]
    static let o1: [Double] = [1, 4, 2, -1, 4, 5, 3, 1, 3]

    @Test func paddedInputReproducesTheSlide() throws {
        let x = try Tensor(Self.x0 + Self.x1 + Self.x2, shape: [1, 3, 7, 7])
        let w = try Tensor(Self.w0 + Self.w1, shape: [2, 3, 3, 3])
        let b = try Tensor([1, 0], shape: [2])
        let y = try x.conv2d(w, bias: b, Conv2dOptions(stride: 2))
        #expect(y.shape == [1, 2, 3, 3])
        #expect(y.values == Self.o0 + Self.o1)
    }

    @Test func unpaddedInputWithPaddingOneGivesTheSameMaps() throws {
        let x = try Tensor(Self.x0 + Self.x1 + Self.x2, shape: [1, 3, 7, 7]).index([
            .all, .all, .slice(start: 1, stop: 6, step: 1), .slice(start: 1, stop: 6, step: 1),
        ])
        #expect(x.shape == [1, 3, 5, 5])
        let w = try Tensor(Self.w0 + Self.w1, shape: [2, 3, 3, 3])
        let y = try x.conv2d(w, bias: Tensor([1, 0], shape: [2]), Conv2dOptions(stride: 2, padding: 1))
        #expect(y.values == Self.o0 + Self.o1)
    }

    @Test func tenFiveByFiveFiltersOn32x32x3() throws {
        let conv = try Conv2d(3, 10, kernel: IntPair(5), stride: IntPair(1), padding: IntPair(2))
        #expect(conv.parameterCount == 760)
        let y = try conv(Tensor.randn([1, 3, 32, 32]))
        #expect(y.shape == [1, 10, 32, 32])
    }

    @Test func strideThreeDoesNotFitButFloors() throws {
        let y = try Tensor.randn([1, 1, 7, 7]).conv2d(Tensor.randn([1, 1, 3, 3]), Conv2dOptions(stride: 3))
        #expect(y.shape == [1, 1, 2, 2])  // ⌊(7 − 3)/3⌋ + 1, PyTorch's floor
    }
}

/// The library's copy of the example (what `conv_demo()` shows) against the slide's numbers above.
@Suite struct LectureExampleDataTests {
    @Test func libraryExampleGivesTheSlidesOutputVolume() throws {
        let (x, w, b) = try LectureExample.tensors()
        let y = try x.conv2d(
            w, bias: b,
            Conv2dOptions(
                stride: (LectureExample.stride, LectureExample.stride),
                padding: (LectureExample.padding, LectureExample.padding)))
        #expect(y.values == LectureExampleTests.o0 + LectureExampleTests.o1)
    }
}
