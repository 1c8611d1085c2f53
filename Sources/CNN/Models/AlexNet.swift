// Original paper: A. Krizhevsky, I. Sutskever, G. Hinton, "ImageNet Classification with Deep
// Convolutional Neural Networks", NeurIPS 2012 (torchvision's single-GPU configuration).

/// AlexNet: five convolutions (64, 192, 384, 256, 256 filters), three max-pools, adaptive 6×6
/// pooling and three fully connected layers; 61,100,840 parameters for 1000 classes.
public func AlexNet(classes: Int = 1000) throws -> Sequential {
    let features = Sequential([
        try Conv2d(3, 64, kernel: IntPair(11), stride: IntPair(4), padding: IntPair(2)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2)),
        try Conv2d(64, 192, kernel: IntPair(5), padding: IntPair(2)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2)),
        try Conv2d(192, 384, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try Conv2d(384, 256, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try Conv2d(256, 256, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2)),
    ])
    let classifier = Sequential([
        try Dropout(0.5), try Linear(256 * 6 * 6, 4096), Activation(.relu),
        try Dropout(0.5), try Linear(4096, 4096), Activation(.relu),
        try Linear(4096, classes),
    ])
    return Sequential(
        [features, AdaptiveAvgPool2d(IntPair(6)), Flatten(), classifier],
        names: ["features", "avgpool", "flatten", "classifier"])
}

// Original paper: M. Zeiler, R. Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014.

/// ZFNet (the paper's Table/Fig. 3): 96 filters 7×7 stride 2, pool 3/2, LRN; 256 filters 5×5
/// stride 2, pool 3/2, LRN; 384, 384, 256 filters 3×3; pool 3/2; FC 4096, 4096, classes.
public func ZFNet(classes: Int = 1000) throws -> Sequential {
    let features = Sequential([
        try Conv2d(3, 96, kernel: IntPair(7), stride: IntPair(2), padding: IntPair(1)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2), padding: IntPair(1)), try LocalResponseNorm(5),
        try Conv2d(96, 256, kernel: IntPair(5), stride: IntPair(2)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2), padding: IntPair(1)), try LocalResponseNorm(5),
        try Conv2d(256, 384, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try Conv2d(384, 384, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try Conv2d(384, 256, kernel: IntPair(3), padding: IntPair(1)), Activation(.relu),
        try MaxPool2d(IntPair(3), stride: IntPair(2)),
    ])
    let classifier = Sequential([
        try Dropout(0.5), try Linear(256 * 6 * 6, 4096), Activation(.relu),
        try Dropout(0.5), try Linear(4096, 4096), Activation(.relu),
        try Linear(4096, classes),
    ])
    return Sequential(
        [features, AdaptiveAvgPool2d(IntPair(6)), Flatten(), classifier],
        names: ["features", "avgpool", "flatten", "classifier"])
}
