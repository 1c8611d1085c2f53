// Original paper: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied
// to document recognition", Proc. IEEE 1998.

/// LeNet-5 with a 10-way output: C1 conv 6@5×5 → tanh → S2 avg-pool 2 → C3 conv 16@5×5 →
/// tanh → S4 avg-pool 2 → F5 120 → F6 84 → output. Input 1×32×32; 61,706 parameters for 10 classes.
/// `padding: 2` on C1 takes 28×28 input (MNIST, `shapes`) to the same 28×28 C1 maps.
public func LeNet5(classes: Int = 10, inChannels: Int = 1, padding: Int = 0) throws -> Sequential {
    Sequential([
        try Conv2d(inChannels, 6, kernel: IntPair(5), padding: IntPair(padding)), Activation(.tanh),
        try AvgPool2d(IntPair(2)),
        try Conv2d(6, 16, kernel: IntPair(5)), Activation(.tanh), try AvgPool2d(IntPair(2)),
        Flatten(),
        try Linear(16 * 5 * 5, 120), Activation(.tanh),
        try Linear(120, 84), Activation(.tanh),
        try Linear(84, classes),
    ])
}
