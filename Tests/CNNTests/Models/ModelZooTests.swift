import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

/// Parameter counts equal the reference implementations (torchvision; timm for SE-ResNet-50;
/// LeNet-5 as in LeCun et al. 1998 with a 10-way output).
@Suite struct ModelZooTests {
    @Test(arguments: [
        ("LeNet5", 61_706), ("AlexNet", 61_100_840), ("VGG11", 132_863_336), ("VGG16", 138_357_544),
        ("VGG19", 143_667_240),
        ("GoogLeNet", 6_624_904), ("ResNet18", 11_689_512), ("ResNet34", 21_797_672), ("ResNet50", 25_557_032),
        ("ResNeXt50", 25_028_904), ("DenseNet121", 7_978_856), ("SEResNet50", 28_088_024),
    ])
    func parameterCountsMatchTheReferences(_ c: (String, Int)) throws {
        let budget = MemoryBudget(limit: 4 << 30)
        let count = try MemoryBudget.$current.withValue(budget) { try Self.make(c.0).parameterCount }
        #expect(count == c.1, "\(c.0)")
    }

    static func make(_ name: String, classes: Int? = nil) throws -> Sequential {
        switch name {
        case "LeNet5": return try LeNet5(classes: classes ?? 10)
        case "AlexNet": return try AlexNet(classes: classes ?? 1000)
        case "ZFNet": return try ZFNet(classes: classes ?? 1000)
        case "VGG11": return try VGG11(classes: classes ?? 1000)
        case "VGG16": return try VGG16(classes: classes ?? 1000)
        case "VGG19": return try VGG19(classes: classes ?? 1000)
        case "GoogLeNet": return try GoogLeNet(classes: classes ?? 1000)
        case "ResNet18": return try ResNet18(classes: classes ?? 1000)
        case "ResNet34": return try ResNet34(classes: classes ?? 1000)
        case "ResNet50": return try ResNet50(classes: classes ?? 1000)
        case "ResNeXt50": return try ResNeXt50(classes: classes ?? 1000)
        case "DenseNet121": return try DenseNet121(classes: classes ?? 1000)
        default: return try SEResNet50(classes: classes ?? 1000)
        }
    }

    @Test(arguments: [
        "AlexNet", "ZFNet", "VGG11", "VGG16", "VGG19", "GoogLeNet", "ResNet18", "ResNet34", "ResNet50", "ResNeXt50",
        "DenseNet121", "SEResNet50",
    ])
    func forwardShapesAt224(_ name: String) throws {
        let m = try Self.make(name, classes: 7)
        m.eval()
        let y = try withNoGrad { try m(Tensor.randn([1, 3, 224, 224])) }
        #expect(y.shape == [1, 7])
    }

    @Test(arguments: ["ResNet18", "ResNet50", "SEResNet50", "ResNeXt50"])
    func resNetsTakeSmallInputs(_ name: String) throws {
        let m = try Self.make(name, classes: 10)
        m.eval()
        let y = try withNoGrad { try m(Tensor.randn([2, 3, 32, 32])) }
        #expect(y.shape == [2, 10])
    }

    @Test func leNet5TakesItsInputSize() throws {
        let y = try withNoGrad { try LeNet5()(Tensor.randn([3, 1, 32, 32])) }
        #expect(y.shape == [3, 10])
        let y28 = try withNoGrad { try LeNet5(padding: 2)(Tensor.randn([3, 1, 28, 28])) }
        #expect(y28.shape == [3, 10])
    }

    @Test func stateDictKeysFollowPyTorch() throws {
        let r = try ResNet18()
        let keys = r.stateDict.map { $0.0 }
        #expect(keys.prefix(2) == ["conv1.weight", "bn1.weight"])
        #expect(
            keys.contains("layer2.0.downsample.0.weight") && keys.contains("layer4.1.bn2.running_var")
                && keys.last == "fc.bias")
        let v = try VGG16().stateDict.map { $0.0 }
        #expect(v.first == "features.0.weight" && v.last == "classifier.6.bias")
        let d = try DenseNet121().stateDict.map { $0.0 }
        #expect(
            d.contains("features.denseblock1.denselayer1.norm1.weight")
                && d.contains("features.transition1.conv.weight") && d.last == "classifier.bias")
        let g = try GoogLeNet().stateDict.map { $0.0 }
        #expect(g.contains("inception3a.branch2.1.conv.weight") && g.contains("conv1.bn.running_mean"))
        let se = try SEResNet50().stateDict.map { $0.0 }
        #expect(se.contains("layer1.0.se.fc1.weight"))
    }

    @Test func stateRoundTripThroughNpz() throws {
        let a = try LeNet5(), b = try LeNet5()
        let path = NSTemporaryDirectory() + "stride-lenet-\(UUID().uuidString).npz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try StateDict.save(a, to: path)
        try StateDict.load(into: b, from: path)
        for ((ka, ta), (kb, tb)) in zip(a.stateDict, b.stateDict) { #expect(ka == kb && ta.values == tb.values) }
        let x = try Tensor.randn([2, 1, 32, 32])
        let ya = try a(x), yb = try b(x)
        #expect(ya.values == yb.values)
    }
}
