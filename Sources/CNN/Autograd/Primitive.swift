/// Every primitive op that records its own backward: the names of `GradNode`s. The op catalogue's tests run a
/// Float64 gradcheck over `OpCatalog.all` and fail for a case of this enum that no catalogue entry exercises,
/// so a new primitive cannot go without one (user `op`s record their own names through `recordCustom`).
public enum Primitive: String, CaseIterable, Sendable {
    // binary elementwise, broadcasting
    case add, sub, mul, div, pow, remainder, maximum, minimum
    // unary elementwise
    case neg, exp, log, sqrt, abs, square, relu, leakyRelu = "leaky_relu", elu, sigmoid, tanh, clamp
    // reductions
    case sum, max, min, amax, amin
    // movement and indexing
    case reshape, permute, squeeze, unsqueeze, concat, pad, expand, index, gather, contiguous, clone
    case select = "where"
    case convert = "to"
    // network ops
    case matmul, bmm, conv2d, im2col, col2im, maxPool2d = "max_pool2d", avgPool2d = "avg_pool2d"
    case adaptiveAvgPool2d = "adaptive_avg_pool2d", softmax, logSoftmax = "log_softmax"
    case crossEntropy = "cross_entropy", batchNorm = "batch_norm"
}
