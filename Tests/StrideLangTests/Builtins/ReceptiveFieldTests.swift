import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
@testable import CNN

/// `receptive_field` and the explorer's fields through user layers, against the support of the input's
/// gradient (`FieldOracle`) for every call of the model and a sample of cells.
@Suite struct ReceptiveFieldTests {
    static let layers = """
        layer NoPool(c) {
            let conv = Conv2d(c, c, kernel: 3, padding: 1)
            func forward(x) { return relu(conv(x)) }
        }
        layer Block(cin, cout) {
            let conv = Conv2d(cin, cout, kernel: 3, padding: 1)
            let bn = BatchNorm2d(cout)
            func forward(x) { return max_pool2d(relu(bn(conv(x))), 2) }
        }
        layer Outer(c) {
            let inner = NoPool(c)
            let seq = Sequential(Conv2d(c, c, kernel: 3, stride: 2), NoPool(c))
            func forward(x) { return seq(inner(x) * 2) }
        }
        layer Res(cin, cout, stride: 1) {
            let a = Conv2d(cin, cout, kernel: 3, stride: stride, padding: 1)
            let b = Conv2d(cout, cout, kernel: 3, padding: 1)
            let short = Conv2d(cin, cout, kernel: 1, stride: stride)
            func forward(x) { return relu(b(relu(a(x))) + short(x)) }
        }
        layer Cat(c) {
            let a = Conv2d(c, 2, kernel: 3, padding: 1)
            let b = Conv2d(c, 3, kernel: 5, padding: 2)
            func forward(x) { return concat([a(x), max_pool2d(b(x), 3, stride: 1, padding: 1)], dim: 1) }
        }
        layer Dense(c) {
            let a = Conv2d(c, 2, kernel: 3, padding: 1)
            let b = Conv2d(c + 2, 2, kernel: 3, padding: 1)
            func forward(x) {
                let y = concat([x, a(x)], dim: 1)
                return concat([y, b(y)], dim: 1)
            }
        }
        layer Halves(c) {
            let a = Conv2d(c / 2, c / 2, kernel: 3, padding: 1)
            func forward(x) { return concat([x[:, 0:c / 2], a(x[:, c / 2:c])], dim: 1) }
        }
        """

    static let models: [(String, String, [Int])] = [
        ("nested", "Sequential(Conv2d(1, 4, kernel: 3, padding: 1), NoPool(4), NoPool(4))", [1, 1, 12, 12]),
        ("nested deeper", "Sequential(Outer(2), Outer(2))", [1, 2, 21, 21]),
        (
            "channel-changing with pooling", "Sequential(Block(1, 8), Block(8, 16), Flatten(), Linear(16 * 9, 3))",
            [1, 1, 12, 12]
        ),
        ("residual", "Sequential(Conv2d(1, 3, kernel: 3), Res(3, 3), Res(3, 6, stride: 2), ReLU())", [1, 1, 14, 14]),
        (
            "concatenating", "Sequential(Cat(1), ReLU(), Conv2d(5, 2, kernel: 1, groups: 1), Dense(2), MaxPool2d(2))",
            [1, 1, 12, 12]
        ),
        ("channel slices", "Sequential(Conv2d(1, 4, kernel: 1), Halves(4), ReLU())", [1, 1, 9, 9]),
        (
            "built-in blocks",
            "Sequential(Conv2d(1, 4, kernel: 3), Residual(Sequential(Conv2d(4, 4, kernel: 3, padding: 1), ReLU())), "
                + "Concat(Conv2d(4, 2, kernel: 1), MaxPool2d(3, stride: 1, padding: 1)), SqueezeExcite(6, reduction: 2))",
            [1, 1, 11, 11]
        ),
        (
            "function stage",
            "Sequential(Conv2d(1, 2, kernel: 3), { x in avg_pool2d(x, 2) + max_pool2d(x, 2) }, NoPool(2))",
            [1, 1, 12, 12]
        ),
    ]

    @Test(arguments: models.map(\.0))
    func fieldsMatchTheGradient(_ name: String) throws {
        guard let (_, source, shape) = Self.models.first(where: { $0.0 == name }) else { return }
        let h = Harness()
        h.run("seed(3)")
        #expect(h.value(Self.layers + "\nlet m = " + source) == nil)
        guard case .layer(let model)? = h.session.interp.globals.bound.first(where: { $0.0 == "m" })?.1 else {
            Issue.record("no model")
            return
        }
        let x = try Tensor.randn(shape)
        let compared = try FieldOracle.check(model, x, name)
        #expect(compared > 20)
    }

    @Test func theIssuesExampleReadsSevenBySeven() {
        let h = Harness()
        h.run(Self.layers + "\nlet m = Sequential(Conv2d(1, 4, kernel: 3, padding: 1), NoPool(4), NoPool(4))")
        h.run("let x = randn(1, 1, 16, 16)")
        #expect(
            h.value("receptive_field(m, x, layer: \"2\", at: [0, 8, 8])") == "[\"rows\": [5, 11], \"cols\": [5, 11]]")
        // a cell of 2.conv reads a 3×3 window of NoPool 1's output, which reads 5×5 of the input's…
        #expect(
            h.value("receptive_field(m, x, layer: m[2].conv, at: [1, 8, 8])")
                == "[\"rows\": [5, 11], \"cols\": [5, 11]]")
        #expect(
            h.value("receptive_field(m, x, layer: \"1.conv\", at: [0, 0, 15])")
                == "[\"rows\": [0, 2], \"cols\": [13, 15]]")
        #expect(h.value("receptive_field(m, x, at: [3, 0, 0])") == "[\"rows\": [0, 3], \"cols\": [0, 3]]")
    }

    @Test func mistakesAreExplained() {
        let h = Harness()
        h.run(Self.layers + "\nlet m = Sequential(Conv2d(1, 4, kernel: 3, padding: 1), NoPool(4))")
        h.run("let x = randn(1, 1, 8, 8)")
        #expect(h.error("receptive_field(m, x, layer: \"3\", at: [0, 1, 1])")?.message.contains("no layer '3'") == true)
        #expect(h.error("receptive_field(m, x, at: [0, 1])")?.message.contains("needs 3 numbers") == true)
        #expect(h.error("receptive_field(m, x, at: [4, 1, 1])")?.message.contains("at[0] = 4 is outside 0..<4") == true)
        #expect(
            h.error("receptive_field(m, x, layer: Conv2d(1, 1, kernel: 1), at: [0, 1, 1])")?.message.contains(
                "not called") == true)
    }
}

extension ReceptiveFieldTests {
    @Test func measuringALayerPrintsNothing() {
        let h = Harness()
        h.run(
            """
            layer Loud(c) {
                let conv = Conv2d(c, c, kernel: 3, padding: 1)
                func forward(x) {
                    print("forward", x.shape)
                    return relu(conv(x)) + x
                }
            }
            let m = Sequential(Loud(1))
            """)
        let before = h.host.stdout
        #expect(
            h.value("receptive_field(m, randn(1, 1, 6, 6), at: [0, 3, 3])") == "[\"rows\": [2, 4], \"cols\": [2, 4]]")
        // the real run prints once; the probe's rerun prints nothing
        #expect(h.host.stdout.dropFirst(before.count).components(separatedBy: "forward").count - 1 == 1)
    }
}
