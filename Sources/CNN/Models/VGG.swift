// Original paper: K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for Large-Scale
// Image Recognition", ICLR 2015 (configurations A, D, E; torchvision layout).

/// VGG configurations: numbers are 3×3 convolutions with that many filters, 0 is a 2×2 max-pool.
public enum VGGConfig {
    public static let vgg11 = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0]
    public static let vgg16 = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]
    public static let vgg19 = [
        64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0,
    ]
}

/// A VGG network from a configuration list; VGG16 has 138,357,544 parameters for 1000 classes.
public func VGG(_ config: [Int], classes: Int = 1000) throws -> Sequential {
    var layers: [any Layer] = []
    var cin = 3
    for v in config {
        if v == 0 {
            layers.append(try MaxPool2d(IntPair(2)))
        } else {
            layers += [try Conv2d(cin, v, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu)]; cin = v
        }
    }
    let classifier = Sequential([
        try Linear(512 * 7 * 7, 4096), Activation(.relu), try Dropout(0.5),
        try Linear(4096, 4096), Activation(.relu), try Dropout(0.5),
        try Linear(4096, classes),
    ])
    return Sequential(
        [Sequential(layers), AdaptiveAvgPool2d(IntPair(7)), Flatten(), classifier],
        names: ["features", "avgpool", "flatten", "classifier"])
}
public func VGG11(classes: Int = 1000) throws -> Sequential { try VGG(VGGConfig.vgg11, classes: classes) }
public func VGG16(classes: Int = 1000) throws -> Sequential { try VGG(VGGConfig.vgg16, classes: classes) }
public func VGG19(classes: Int = 1000) throws -> Sequential { try VGG(VGGConfig.vgg19, classes: classes) }
