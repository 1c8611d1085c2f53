// Original paper: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
// CVPR 2016. ResNeXt: S. Xie et al., "Aggregated Residual Transformations", CVPR 2017.
// SE-ResNet: J. Hu, L. Shen, G. Sun, "Squeeze-and-Excitation Networks", CVPR 2018.

/// A residual block with torchvision's child names (conv1, bn1, …, downsample) so state_dict
/// keys match: basic (two 3×3 convolutions) or bottleneck (1×1, 3×3 grouped, 1×1 ×4), with
/// an optional squeeze-and-excitation module (`se`) before the addition.
public final class ResidualBlock: Layer {
    public private(set) var convs: [any Layer], norms: [any Layer]
    public private(set) var se: (any Layer)?
    public private(set) var downsample: (any Layer)?
    public var output: Tensor?
    public var isTraining = true

    public init(
        inChannels: Int, planes: Int, stride: Int, bottleneck: Bool, groups: Int = 1, widthPerGroup: Int = 64,
        se: Bool = false
    ) throws {
        let out = bottleneck ? planes * 4 : planes
        if bottleneck {
            let width = planes * widthPerGroup / 64 * groups
            convs = [
                try Conv2d(inChannels, width, kernel: IntPair(1), bias: false),
                try Conv2d(
                    width, width, kernel: IntPair(3), stride: IntPair(stride), padding: IntPair(1), groups: groups,
                    bias: false),
                try Conv2d(width, out, kernel: IntPair(1), bias: false),
            ]
            norms = [try BatchNorm2d(width), try BatchNorm2d(width), try BatchNorm2d(out)]
        } else {
            convs = [
                try Conv2d(
                    inChannels, planes, kernel: IntPair(3), stride: IntPair(stride), padding: IntPair(1), bias: false),
                try Conv2d(planes, planes, kernel: IntPair(3), padding: IntPair(1), bias: false),
            ]
            norms = [try BatchNorm2d(planes), try BatchNorm2d(planes)]
        }
        self.se = se ? try SqueezeExcite(out, reduction: 16) : nil
        downsample =
            (stride != 1 || inChannels != out)
            ? Sequential([
                try Conv2d(inChannels, out, kernel: IntPair(1), stride: IntPair(stride), bias: false),
                try BatchNorm2d(out),
            ]) : nil
    }
    public var typeName: String { convs.count == 3 ? "Bottleneck" : "BasicBlock" }
    public var children: [(String, any Layer)] {
        var c: [(String, any Layer)] = []
        for i in convs.indices {
            c.append(("conv\(i + 1)", convs[i]))
            c.append(("bn\(i + 1)", norms[i]))
        }
        if let se { c.append(("se", se)) }
        if let downsample { c.append(("downsample", downsample)) }
        return c
    }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        if name.hasPrefix("conv"), let i = Int(name.dropFirst(4)), i >= 1, i <= convs.count {
            convs[i - 1] = layer
        } else if name.hasPrefix("bn"), let i = Int(name.dropFirst(2)), i >= 1, i <= norms.count {
            norms[i - 1] = layer
        } else if name == "se", se != nil {
            se = layer
        } else if name == "downsample", downsample != nil {
            downsample = layer
        } else {
            return false
        }
        return true
    }
    public func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for i in convs.indices {
            h = try norms[i](convs[i](h))
            if i < convs.count - 1 { h = try h.relu() }
        }
        if let se { h = try se(h) }
        let identity = try downsample.map { try $0(x) } ?? x
        return try (h + identity).relu()
    }
}

/// ResNet family: stem (7×7/2 conv, BN, ReLU, 3×3/2 max-pool), four stages, global pooling, FC.
public enum ResNetDepth {
    case r18, r34, r50, r101
    /// Blocks per stage, as in the paper's Table 1.
    public var layerBlockSizes: [Int] {
        switch self {
        case .r18: [2, 2, 2, 2];
        case .r34: [3, 4, 6, 3];
        case .r50: [3, 4, 6, 3];
        case .r101: [3, 4, 23, 3]
        }
    }
    public var bottleneck: Bool { self == .r50 || self == .r101 }
}

public func ResNet(
    _ depth: ResNetDepth, classes: Int = 1000, groups: Int = 1, widthPerGroup: Int = 64, se: Bool = false
) throws -> Sequential {
    var layers: [any Layer] = [
        try Conv2d(3, 64, kernel: IntPair(7), stride: IntPair(2), padding: IntPair(3), bias: false),
        try BatchNorm2d(64),
        Activation(.relu), try MaxPool2d(IntPair(3), stride: IntPair(2), padding: IntPair(1)),
    ]
    var names = ["conv1", "bn1", "relu", "maxpool"]
    var cin = 64
    for (stage, blocks) in depth.layerBlockSizes.enumerated() {
        let planes = 64 << stage
        var stageBlocks: [any Layer] = []
        for b in 0..<blocks {
            let blk = try ResidualBlock(
                inChannels: cin, planes: planes, stride: (b == 0 && stage > 0) ? 2 : 1, bottleneck: depth.bottleneck,
                groups: groups, widthPerGroup: widthPerGroup, se: se)
            stageBlocks.append(blk)
            cin = depth.bottleneck ? planes * 4 : planes
        }
        layers.append(Sequential(stageBlocks)); names.append("layer\(stage + 1)")
    }
    layers += [GlobalAvgPool(), Flatten(), try Linear(cin, classes)]
    names += ["avgpool", "flatten", "fc"]
    return Sequential(layers, names: names)
}
/// ResNet-18: 11,689,512 parameters for 1000 classes.
public func ResNet18(classes: Int = 1000) throws -> Sequential { try ResNet(.r18, classes: classes) }
/// ResNet-34: 21,797,672 parameters.
public func ResNet34(classes: Int = 1000) throws -> Sequential { try ResNet(.r34, classes: classes) }
/// ResNet-50: 25,557,032 parameters.
public func ResNet50(classes: Int = 1000) throws -> Sequential { try ResNet(.r50, classes: classes) }
/// ResNeXt-50 (32×4d): 25,028,904 parameters.
public func ResNeXt50(classes: Int = 1000) throws -> Sequential {
    try ResNet(.r50, classes: classes, groups: 32, widthPerGroup: 4)
}
/// SE-ResNet-50 (timm's seresnet50): 28,088,024 parameters.
public func SEResNet50(classes: Int = 1000) throws -> Sequential { try ResNet(.r50, classes: classes, se: true) }
