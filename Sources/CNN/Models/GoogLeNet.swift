// Original paper: C. Szegedy et al., "Going Deeper with Convolutions", CVPR 2015 (torchvision's
// layout without auxiliary classifiers; BatchNorm after each convolution, as torchvision).

/// Conv (no bias) + BatchNorm (eps 0.001) + ReLU, named conv / bn.
func basicConv(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, padding: Int = 0) throws -> Sequential {
    Sequential(
        [
            try Conv2d(
                cin, cout, kernel: IntPair(kernel), stride: IntPair(stride), padding: IntPair(padding), bias: false),
            try BatchNorm2d(cout, eps: 0.001), Activation(.relu),
        ], names: ["conv", "bn", "relu"])
}

/// An Inception module: 1×1; 1×1→3×3; 1×1→3×3 (torchvision's "5×5" branch); 3×3 max-pool→1×1; concatenated.
public func Inception(_ cin: Int, _ c1: Int, _ c3r: Int, _ c3: Int, _ c5r: Int, _ c5: Int, _ pool: Int) throws -> Concat
{
    Concat(
        [
            try basicConv(cin, c1, kernel: 1),
            Sequential([try basicConv(cin, c3r, kernel: 1), try basicConv(c3r, c3, kernel: 3, padding: 1)]),
            Sequential([try basicConv(cin, c5r, kernel: 1), try basicConv(c5r, c5, kernel: 3, padding: 1)]),
            Sequential([
                try MaxPool2d(IntPair(3), stride: IntPair(1), padding: IntPair(1), ceilMode: true),
                try basicConv(cin, pool, kernel: 1),
            ]),
        ], names: ["branch1", "branch2", "branch3", "branch4"])
}

/// GoogLeNet (Inception v1): 6,624,904 parameters for 1000 classes.
public func GoogLeNet(classes: Int = 1000) throws -> Sequential {
    let pool = { try MaxPool2d(IntPair(3), stride: IntPair(2), ceilMode: true) }
    let layers: [(String, any Layer)] = [
        ("conv1", try basicConv(3, 64, kernel: 7, stride: 2, padding: 3)), ("maxpool1", try pool()),
        ("conv2", try basicConv(64, 64, kernel: 1)), ("conv3", try basicConv(64, 192, kernel: 3, padding: 1)),
        ("maxpool2", try pool()),
        ("inception3a", try Inception(192, 64, 96, 128, 16, 32, 32)),
        ("inception3b", try Inception(256, 128, 128, 192, 32, 96, 64)), ("maxpool3", try pool()),
        ("inception4a", try Inception(480, 192, 96, 208, 16, 48, 64)),
        ("inception4b", try Inception(512, 160, 112, 224, 24, 64, 64)),
        ("inception4c", try Inception(512, 128, 128, 256, 24, 64, 64)),
        ("inception4d", try Inception(512, 112, 144, 288, 32, 64, 64)),
        ("inception4e", try Inception(528, 256, 160, 320, 32, 128, 128)),
        ("maxpool4", try MaxPool2d(IntPair(2), stride: IntPair(2), ceilMode: true)),
        ("inception5a", try Inception(832, 256, 160, 320, 32, 128, 128)),
        ("inception5b", try Inception(832, 384, 192, 384, 48, 128, 128)),
        ("avgpool", GlobalAvgPool()), ("flatten", Flatten()), ("dropout", try Dropout(0.2)),
        ("fc", try Linear(1024, classes)),
    ]
    return Sequential(layers.map { $0.1 }, names: layers.map { $0.0 })
}
