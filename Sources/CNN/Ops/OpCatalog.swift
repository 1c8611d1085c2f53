/// Every differentiable op with sample input shapes: the list the gradient-check tests
/// run over. A new primitive or composite op adds one entry here.
public struct OpCase: Sendable, CustomStringConvertible {
    public let name: String
    public let shapes: [[Int]]
    /// Inputs that must stay positive (log, sqrt, pow with fractional exponents).
    public let positive: Bool
    /// The largest relative error the Float64 gradcheck accepts (looser only for ops that round through
    /// Float32, whose central differences carry its rounding).
    public let tolerance: Double
    public let f: @Sendable ([Tensor]) throws -> Tensor
    public var description: String { name }
    public init(
        _ name: String, _ shapes: [[Int]], positive: Bool = false, tolerance: Double = 1e-6,
        _ f: @escaping @Sendable ([Tensor]) throws -> Tensor
    ) {
        self.name = name
        self.shapes = shapes
        self.positive = positive
        self.tolerance = tolerance
        self.f = f
    }
}

public enum OpCatalog {
    public static let all: [OpCase] = [
        OpCase("add broadcast", [[2, 3], [3]]) { try $0[0] + $0[1] },
        OpCase("sub broadcast", [[2, 1, 3], [4, 1]]) { try $0[0] - $0[1] },
        OpCase("mul broadcast", [[2, 3], [2, 1]]) { try $0[0] * $0[1] },
        OpCase("div", [[2, 3], [2, 3]], positive: true) { try $0[0] / $0[1] },
        OpCase("maximum", [[3, 4], [3, 4]]) { try $0[0].binary(.maximum, $0[1]) },
        OpCase("neg", [[5]]) { try $0[0].neg() },
        OpCase("square", [[2, 3]]) { try $0[0].apply(.square) },
        OpCase("clone", [[2, 3]]) { try $0[0].clone() * $0[0] },
        // through Float32 and back: the gradient converts back to each input's dtype
        OpCase("to float32 and back", [[3, 4]], tolerance: 1e-2) { try $0[0].to(.float32).exp().to(.float64) },
        OpCase("exp", [[2, 3]]) { try $0[0].exp() },
        OpCase("log", [[2, 3]], positive: true) { try $0[0].log() },
        OpCase("sqrt", [[2, 3]], positive: true) { try $0[0].sqrt() },
        OpCase("abs", [[2, 3]]) { try $0[0].abs() },
        OpCase("pow", [[2, 3]], positive: true) { try $0[0].pow(2.5) },
        OpCase("clamp", [[4, 4]]) { try $0[0].clamp(min: -0.5, max: 0.5) },
        OpCase("sum all", [[2, 3, 4]]) { try $0[0].sum() },
        OpCase("sum all keepdim, into a product", [[3, 4]]) { try ($0[0].sum(keepdim: true) * $0[0]).exp() },
        OpCase("sum dim", [[2, 3, 4]]) { try $0[0].sum(dims: [1]) },
        OpCase("sum keepdim", [[2, 3, 4]]) { try $0[0].sum(dims: [0, 2], keepdim: true) },
        OpCase("mean", [[3, 4]]) { try $0[0].mean(dim: 0) },
        OpCase("max dim", [[3, 5]]) { try $0[0].max(dim: 1) },
        OpCase("min all", [[3, 5]]) { try $0[0].min() },
        OpCase("min dim", [[3, 5]]) { try $0[0].min(dim: 0, keepdim: true) },
        OpCase("std", [[3, 5]]) { try $0[0].std(dims: [1]) },
        OpCase("matmul", [[3, 4], [4, 5]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul batched", [[2, 3, 4], [4, 2]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul broadcast batches", [[2, 1, 3, 4], [5, 4, 2]]) { try $0[0].matmul($0[1]) },
        OpCase("matmul vector by stack", [[4], [3, 4, 2]]) { try $0[0].matmul($0[1]) },
        OpCase("bmm transposed", [[2, 4, 3], [2, 5, 4]]) { try $0[0].bmm($0[1], transA: true, transB: true) },
        OpCase("amax over dims", [[3, 4, 2]]) { try $0[0].amax(dims: [0, 2], keepdim: true) },
        OpCase("amin all", [[3, 5]]) { try $0[0].amin() },
        OpCase("max all with ties", [[4]]) { t in
            // ties: the gradient is split between the equal maxima
            try Tensor.concat([t[0], t[0].max(dim: 0, keepdim: true)], dim: 0).max()
        },
        OpCase("mm transposed", [[4, 3], [5, 4]]) { try $0[0].mm($0[1], transA: true, transB: true) },
        OpCase("reshape", [[2, 6]]) { try $0[0].reshaped([3, 4]) },
        OpCase("permute", [[2, 3, 4]]) { try $0[0].permuted([2, 0, 1]) },
        OpCase("transpose", [[3, 4]]) { try $0[0].transposed(0, 1) },
        OpCase("slice step", [[5, 6]]) {
            try $0[0].index([.slice(start: 1, stop: nil, step: 2), .slice(start: -1, stop: nil, step: -2)])
        },
        OpCase("index ellipsis", [[2, 3, 4]]) { try $0[0].index([.ellipsis, .index(-1)]) },
        OpCase("index view then strided op", [[4, 5]]) {
            try $0[0].index([.slice(start: 3, stop: nil, step: -2), .index(1)]) * 2
        },
        OpCase("transpose view matmul", [[4, 3], [4, 5]]) { try $0[0].transposed(0, 1).matmul($0[1]) },
        OpCase("squeeze unsqueeze", [[3, 1, 4]]) {
            try $0[0].squeezed(1).unsqueezed(0).permuted([2, 1, 0]).contiguous()
        },
        OpCase("gather rows repeated", [[4, 3]]) {
            try $0[0].index([.array(Tensor([2, 0, 2, 3], shape: [4], dtype: .int64))])
        },
        OpCase("gather pairs", [[3, 5]]) {
            try $0[0].index([
                .array(Tensor([0, 1, 2], shape: [3], dtype: .int64)),
                .array(Tensor([4, 0, 4], shape: [3], dtype: .int64)),
            ])
        },
        OpCase("gather columns", [[2, 3, 4]]) {
            try $0[0].index([.all, .array(Tensor([2, 0], shape: [2], dtype: .int64))])
        },
        OpCase("mask select", [[3, 4]]) {
            try $0[0].index([.mask(Tensor([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0], shape: [3, 4]))])
        },
        OpCase("pow tensor", [[2, 3], [2, 3]], positive: true) { try $0[0].binary(.pow, $0[1]) },
        OpCase("where broadcast", [[2, 3], [3]]) {
            try Tensor.select($0[0].detach().binary(.gt, Tensor(scalar: 0, dtype: $0[0].dtype)), $0[0] * 3, $0[1])
        },
        OpCase("remainder", [[2, 3], [2, 3]], positive: true) { try ($0[0] * 3).binary(.remainder, $0[1]) },
        OpCase("minimum", [[3, 4], [3, 4]]) { try $0[0].binary(.minimum, $0[1]) },
        OpCase("variance", [[3, 5]]) { try $0[0].variance(dims: [0]) },
        OpCase("concat", [[2, 3], [2, 2]]) { try Tensor.concat([$0[0], $0[1]], dim: 1) },
        OpCase("pad", [[1, 2, 3, 3]]) { try $0[0].padded(spatial: 1) },
        OpCase("expand", [[3, 1]]) { try $0[0].expanded(to: [2, 3, 4]) },
        OpCase("conv2d", [[2, 3, 7, 7], [4, 3, 3, 3], [4]]) {
            try $0[0].conv2d($0[1], bias: $0[2], Conv2dOptions(stride: 2, padding: 1))
        },
        OpCase("conv2d groups dilation", [[1, 4, 8, 8], [6, 2, 3, 3]]) {
            try $0[0].conv2d($0[1], Conv2dOptions(stride: 1, padding: 2, dilation: 2, groups: 2))
        },
        // a batch of 2·cores + 1 images takes the one-image-per-core path (ConvPlan; small maps allowed here),
        // including 1×1; the plan made in the forward pass serves the backward pass too
        OpCase("conv2d per image", [[2 * Parallel.cores + 1, 3, 5, 5], [4, 3, 3, 3], [4]]) { t in
            try ConvPlan.$minPerImageColumns.withValue(1) {
                try t[0].conv2d(t[1], bias: t[2], Conv2dOptions(stride: 1, padding: 1))
            }
        },
        OpCase("conv2d per image groups stride", [[2 * Parallel.cores + 1, 4, 6, 6], [4, 2, 3, 3]]) { t in
            try ConvPlan.$minPerImageColumns.withValue(1) {
                try t[0].conv2d(t[1], Conv2dOptions(stride: 2, padding: 1, groups: 2))
            }
        },
        OpCase("conv2d per image 1x1", [[2 * Parallel.cores + 1, 4, 3, 3], [6, 4, 1, 1], [6]]) { t in
            try ConvPlan.$minPerImageColumns.withValue(1) { try t[0].conv2d(t[1], bias: t[2]) }
        },
        // depthwise convolutions take the direct path (DepthwiseConv): strides, padding, dilation, odd sizes
        OpCase("conv2d depthwise", [[2, 3, 6, 5], [3, 1, 3, 3], [3]]) {
            try $0[0].conv2d($0[1], bias: $0[2], Conv2dOptions(stride: 1, padding: 1, groups: 3))
        },
        // stride-1 depthwise convolutions take the padded, register-blocked path (rectangular, dilated)
        OpCase("conv2d depthwise same dilated", [[2, 3, 7, 6], [3, 1, 3, 5], [3]]) {
            try $0[0].conv2d(
                $0[1], bias: $0[2], Conv2dOptions(stride: (1, 1), padding: (2, 4), dilation: (2, 2), groups: 3))
        },
        OpCase("conv2d depthwise stride dilation", [[2, 4, 7, 6], [4, 1, 3, 2]]) {
            try $0[0].conv2d($0[1], Conv2dOptions(stride: (2, 3), padding: (2, 1), dilation: (2, 1), groups: 4))
        },
        OpCase("im2col", [[1, 2, 5, 5]]) { try $0[0].im2col(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) },
        OpCase("col2im", [[18, 18]]) {
            try $0[0].col2im(imageShape: [2, 2, 5, 5], kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        },
        OpCase("max_pool2d", [[2, 2, 6, 6]]) { try $0[0].maxPool2d(kernel: (2, 2)) },
        OpCase("max_pool2d overlap pad", [[1, 2, 5, 5]]) {
            try $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        },
        OpCase("avg_pool2d", [[1, 2, 6, 6]]) { try $0[0].avgPool2d(kernel: (3, 3), stride: (1, 1), padding: (1, 1)) },
        OpCase("adaptive avg pool", [[1, 2, 7, 5]]) { try $0[0].adaptiveAvgPool2d(3, 2) },
        OpCase("max_pool2d ceil mode", [[1, 1, 6, 6]]) {
            try $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), ceilMode: true)
        },
        OpCase("global avg pool", [[2, 3, 4, 4]]) { try $0[0].globalAvgPool() },
        OpCase("linear", [[4, 5], [3, 5], [3]]) { try linear($0[0], $0[1], $0[2]) },
        OpCase("relu", [[3, 4]]) { try $0[0].relu() },
        OpCase("leaky_relu", [[3, 4]]) { try $0[0].leakyRelu() },
        OpCase("elu", [[3, 4]]) { try $0[0].elu(alpha: 1.5) },
        OpCase("sigmoid", [[3, 4]]) { try $0[0].sigmoid() },
        OpCase("tanh", [[3, 4]]) { try $0[0].tanh() },
        OpCase("swish", [[3, 4]]) { try $0[0].swish() },
        OpCase("prelu", [[2, 3, 2, 2], [3]]) { try $0[0].prelu($0[1]) },
        OpCase("maxout", [[3, 6]]) { try maxout($0[0], pieces: 3) },
        OpCase("softmax", [[3, 5]]) { try $0[0].softmax(dim: 1) },
        OpCase("softmax dim 0", [[4, 3]]) { try $0[0].softmax(dim: 0) },
        OpCase("log_softmax", [[3, 5]]) { try $0[0].logSoftmax(dim: 1) },
        OpCase("batch_norm 2-D, no affine", [[5, 3]]) {
            try batchNorm($0[0], runningMean: nil, runningVar: nil, weight: nil, bias: nil, training: true)
        },
        OpCase("batch_norm odd sizes, into a product", [[3, 5, 3, 1], [5], [5]]) {
            let y = try batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)
            return try y * $0[0]
        },
        OpCase("batch_norm", [[4, 3, 2, 2], [3], [3]]) {
            try batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)
        },
        OpCase("local_response_norm", [[2, 5, 3, 3]]) {
            try localResponseNorm($0[0], size: 3, alpha: 0.1, beta: 0.75, k: 2)
        },
        OpCase("cross_entropy", [[4, 5]]) {
            try crossEntropy($0[0], Tensor([0, 3, 1, 4], shape: [4], dtype: .float64))
        },
        OpCase("hinge_loss", [[4, 5]]) { try hingeLoss($0[0], Tensor([0, 3, 1, 4], shape: [4], dtype: .float64)) },
        OpCase("mse_loss", [[3, 4], [3, 4]]) { try mseLoss($0[0], $0[1]) },
    ]
}
