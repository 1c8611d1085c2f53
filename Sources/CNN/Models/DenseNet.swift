// Original paper: G. Huang, Z. Liu, L. van der Maaten, K. Weinberger, "Densely Connected
// Convolutional Networks", CVPR 2017 (torchvision's DenseNet-121 layout and names).

/// A dense block: each layer (BN-ReLU-1×1 conv-BN-ReLU-3×3 conv) sees the concatenation of all
/// earlier outputs and adds `growth` channels.
public final class DenseBlock: Layer {
    public private(set) var layers: [any Layer]
    public var output: Tensor?
    public var isTraining = true
    public init(layers n: Int, inChannels: Int, growth: Int = 32, bnSize: Int = 4) throws {
        layers = try (0..<n).map { i in
            let cin = inChannels + i * growth
            return Sequential(
                [
                    try BatchNorm2d(cin), Activation(.relu),
                    try Conv2d(cin, bnSize * growth, kernel: IntPair(1), bias: false),
                    try BatchNorm2d(bnSize * growth), Activation(.relu),
                    try Conv2d(bnSize * growth, growth, kernel: IntPair(3), padding: IntPair(1), bias: false),
                ],
                names: ["norm1", "relu1", "conv1", "norm2", "relu2", "conv2"])
        }
    }
    public var typeName: String { "DenseBlock" }
    public var children: [(String, any Layer)] {
        layers.enumerated().map { ("denselayer\($0.offset + 1)", $0.element) }
    }
    public var showsAsUnit: Bool { true }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard name.hasPrefix("denselayer"), let i = Int(name.dropFirst(10)), i >= 1, i <= layers.count else {
            return false
        }
        layers[i - 1] = layer
        return true
    }
    public func forward(_ x: Tensor) throws -> Tensor {
        var feats = [x]
        for l in layers { feats.append(try l(Tensor.concat(feats, dim: 1))) }
        return try Tensor.concat(feats, dim: 1)
    }
}

/// DenseNet-121: blocks of 6, 12, 24, 16 layers, growth 32; 7,978,856 parameters for 1000 classes.
public func DenseNet121(classes: Int = 1000) throws -> Sequential {
    var layers: [any Layer] = [
        try Conv2d(3, 64, kernel: IntPair(7), stride: IntPair(2), padding: IntPair(3), bias: false),
        try BatchNorm2d(64),
        Activation(.relu), try MaxPool2d(IntPair(3), stride: IntPair(2), padding: IntPair(1)),
    ]
    var names = ["conv0", "norm0", "relu0", "pool0"]
    var c = 64
    for (i, n) in [6, 12, 24, 16].enumerated() {
        layers.append(try DenseBlock(layers: n, inChannels: c)); names.append("denseblock\(i + 1)")
        c += n * 32
        if i < 3 {
            layers.append(
                Sequential(
                    [
                        try BatchNorm2d(c), Activation(.relu), try Conv2d(c, c / 2, kernel: IntPair(1), bias: false),
                        try AvgPool2d(IntPair(2)),
                    ],
                    names: ["norm", "relu", "conv", "pool"]))
            names.append("transition\(i + 1)")
            c /= 2
        }
    }
    layers.append(try BatchNorm2d(c)); names.append("norm5")
    return Sequential(
        [Sequential(layers, names: names), Activation(.relu), GlobalAvgPool(), Flatten(), try Linear(c, classes)],
        names: ["features", "relu", "avgpool", "flatten", "classifier"])
}
