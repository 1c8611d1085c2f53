/// 2-D convolution layer. Input (N, Cin, H, W) → output (N, Cout, H′, W′) with
/// H′ = ⌊(H + 2P − d(F − 1) − 1)/S⌋ + 1 (the lecture's (N − F + 2P)/S + 1).
/// Weight (Cout, Cin/groups, F, F), bias (Cout): F·F·Cin/groups·Cout + Cout parameters.
public final class Conv2d: WeightAndBias {
    public let inChannels: Int, outChannels: Int
    public let kernel: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair
    public let groups: Int
    public var weight: Tensor
    public var bias: Tensor?
    public var output: Tensor?
    public var isTraining = true

    public init(
        _ cin: Int, _ cout: Int, kernel: IntPair, stride: IntPair = IntPair(1), padding: IntPair = IntPair(0),
        dilation: IntPair = IntPair(1), groups: Int = 1, bias: Bool = true
    ) throws {
        guard cin > 0, cout > 0 else {
            throw CNNError.value("Conv2d needs positive channel counts, got \(cin) → \(cout)")
        }
        guard groups > 0, cin % groups == 0, cout % groups == 0 else {
            throw CNNError.value(
                "Conv2d: in_channels \(cin) and out_channels \(cout) must both be divisible by groups = \(groups)")
        }
        guard kernel.h > 0, kernel.w > 0, stride.h > 0, stride.w > 0, padding.h >= 0, padding.w >= 0,
            dilation.h > 0, dilation.w > 0
        else {
            throw CNNError.value(
                "Conv2d: kernel, stride and dilation must be positive, padding non-negative (kernel \(kernel), "
                    + "stride \(stride), padding \(padding), dilation \(dilation))")
        }
        inChannels = cin
        outChannels = cout
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        weight = try parameter([cout, cin / groups, kernel.h, kernel.w])
        self.bias = bias ? try parameter([cout]) : nil
        try Init.torchDefault(weight: weight, bias: self.bias)
    }

    public var typeName: String { "Conv2d" }
    public var configDescription: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(kernel), stride=\(stride)"
        if padding != IntPair(0) { s += ", padding=\(padding)" }
        if dilation != IntPair(1) { s += ", dilation=\(dilation)" }
        if groups != 1 { s += ", groups=\(groups)" }
        if bias == nil { s += ", bias=False" }
        return s
    }
    public var biasCount: Int { outChannels }

    public func forward(_ x: Tensor) throws -> Tensor {
        guard x.ndim == 4 else {
            throw CNNError.needsBatch("Conv2d", x.shape)
        }
        guard x.shape[1] == inChannels else {
            throw CNNError.shape(
                "Conv2d expected \(inChannels) input channel\(inChannels == 1 ? "" : "s"), got \(x.shape[1]) "
                    + "(input \(shapeString(x.shape)))"
            )
        }
        return try x.conv2d(
            weight, bias: bias,
            Conv2dOptions(stride: stride.tuple, padding: padding.tuple, dilation: dilation.tuple, groups: groups))
    }
}
