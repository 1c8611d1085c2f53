/// Depthwise convolution (groups = input channels = output channels: one kh×kw filter per channel) computed
/// directly, plane by plane, instead of by im2col + GEMM: there each group is a product with one row and
/// kh·kw columns, so the time went into BLAS calls and column matrices, not arithmetic. Forward and the input
/// gradient run over (image, channel) planes in parallel; the filter gradient over channels (summing images).
/// Any stride, padding and dilation; the kernels are in `DepthwiseConv+Kernels.swift`.
struct DepthwiseConv {
    let g: ConvGeometry
    let images: Int

    /// Whether `conv2d` with these settings is depthwise (each group one input and one output channel).
    static func applies(channels: Int, outChannels: Int, groups: Int) -> Bool {
        groups == channels && outChannels == channels && groups > 1
    }

    func forward<T: TensorScalar>(_: T.Type, _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ out: Tensor) throws {
        try forwardPadded(x.data(T.self), weight.data(T.self), bias?.data(T.self), out.data(T.self))
    }

    /// The gradients for input, filters and bias (each written only when given; all zeroed by the caller).
    func backward<T: TensorScalar>(
        _: T.Type, _ x: Tensor, _ weight: Tensor, _ gy: Tensor, _ gx: Tensor?, _ gw: Tensor?, _ gb: Tensor?
    ) throws {
        let wp = weight.data(T.self), gyp = gy.data(T.self)
        if let gxp = gx?.data(T.self) {
            if g.sh == 1 && g.sw == 1 {
                try inputGradientUnitStride(gyp, wp, gxp)
            } else {
                try inputGradientStrided(gyp, wp, gxp)
            }
        }
        guard gw != nil || gb != nil else { return }
        try filterGradientPadded(x.data(T.self), gyp, gw?.data(T.self), gb?.data(T.self))
    }
}
