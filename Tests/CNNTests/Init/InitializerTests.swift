import Testing
@testable import CNN
@testable import StrideTestSupport

/// The initialisers' distributions: He normal's standard deviation √(2/fan_in), Glorot's bound
/// √(6/(fan_in + fan_out)), PyTorch's default bias bound 1/√fan_in.
@Suite struct InitializerTests {
    @Test func heNormalHasTheStandardDeviationOfItsFanIn() throws {
        try GlobalRandom.$current.withValue(RandomSource(seed: 3)) {
            let w = try Tensor.zeros([256, 64, 3, 3])  // fan_in 576
            try Init.kaimingNormal(w)
            let std = try w.std().item()
            #expect(Swift.abs(std - (2.0 / 576).squareRoot()) < 0.002, "std \(std)")
            #expect(Swift.abs(try w.mean().item()) < 0.002)
        }
    }

    @Test func glorotUniformStaysInsideItsBound() throws {
        let w = try Tensor.zeros([300, 200])
        try Init.xavierUniform(w)
        let bound = (6.0 / 500).squareRoot()
        let values = w.values
        #expect(values.allSatisfy { Swift.abs($0) <= bound })
        #expect((values.max() ?? 0) > 0.95 * bound && (values.min() ?? 0) < -0.95 * bound)
    }

    @Test func layersStartWithPyTorchsDefaults() throws {
        let lin = try Linear(100, 50)
        let bound = 1 / (100.0).squareRoot()
        #expect(lin.bias?.values.allSatisfy { Swift.abs($0) <= bound } == true)
        #expect(lin.weight.values.allSatisfy { Swift.abs($0) <= bound + 1e-7 })
    }
}
