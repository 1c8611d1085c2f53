/// 2-D convolution by im2col + GEMM (how it is scheduled across images and cores: `ConvPlan`).
/// Output size per spatial dimension: ⌊(N − d·(F − 1) − 1 + 2P) / S⌋ + 1
/// (the lecture's (N − F + 2P)/S + 1 when dilation is 1).
public struct Conv2dOptions: Sendable, Equatable {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    public var groups: Int
    public init(
        stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1
    ) {
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }
    public init(stride: Int, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }
    public static func == (a: Self, b: Self) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.groups == b.groups
    }
}

/// Checks a window fits and returns the geometry, with the lecture's arithmetic in the message.
func windowGeometry(
    _ op: String, input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
) throws -> ConvGeometry {
    guard input.count == 4 else {
        throw CNNError.needsBatch(op, input)
    }
    // sizes a user gives: bounded so that no output-size arithmetic can overflow
    let limit = 1 << 30
    for (v, what, lo) in [
        (kernel.0, "kernel", 1), (kernel.1, "kernel", 1), (stride.0, "stride", 1), (stride.1, "stride", 1),
        (padding.0, "padding", 0), (padding.1, "padding", 0), (dilation.0, "dilation", 1), (dilation.1, "dilation", 1),
    ] {
        _ = try Shape.size(v, "\(op): \(what)", atLeast: lo, atMost: limit)
    }
    guard input.allSatisfy({ $0 <= limit }) else {
        throw CNNError.shape("\(op): input \(shapeString(input)) is too large a window input")
    }
    let g = ConvGeometry(
        c: input[1], h: input[2], w: input[3], kh: kernel.0, kw: kernel.1, sh: stride.0, sw: stride.1,
        ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1)
    let effH = dilation.0 * (kernel.0 - 1) + 1, effW = dilation.1 * (kernel.1 - 1) + 1
    if g.h + 2 * g.ph < effH || g.w + 2 * g.pw < effW {
        let (n, f, p, s) = g.h + 2 * g.ph < effH ? (g.h, effH, g.ph, g.sh) : (g.w, effW, g.pw, g.sw)
        let pterm = p > 0 ? " + 2*\(p)" : ""
        throw CNNError.shape(
            "\(op): a \(effH)x\(effW) window does not fit a \(g.h)x\(g.w) input\(p > 0 ? " padded by \(p)" : ""): (\(n) - \(f)\(pterm))/\(s) + 1 = \((n - f + 2 * p) / s + 1)"
        )
    }
    return g
}

extension Tensor {
    /// Convolution of `self` (N, C, H, W) with `weight` (K, C/groups, kh, kw) and optional `bias` (K).
    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, _ opt: Conv2dOptions = Conv2dOptions()) throws -> Tensor {
        let dt: DType = (dtype == .float64 || weight.dtype == .float64 || bias?.dtype == .float64) ? .float64 : .float32
        if dtype != dt || weight.dtype != dt || (bias.map { $0.dtype != dt } ?? false) || !isContiguous
            || !weight.isContiguous || !(bias?.isContiguous ?? true)
        {
            return try to(dt).contiguous().conv2d(weight.to(dt).contiguous(), bias: bias?.to(dt).contiguous(), opt)
        }
        guard weight.ndim == 4 else {
            throw CNNError.shape(
                "conv2d: weight must be 4-D (out_channels, in_channels/groups, kh, kw), got \(shapeString(weight.shape))"
            )
        }
        let groups = opt.groups
        let K = weight.shape[0]
        guard groups >= 1, K % groups == 0 else {
            throw CNNError.value("conv2d: \(K) output channels are not divisible by groups = \(groups)")
        }
        guard ndim == 4 else {
            throw CNNError.needsBatch("conv2d", shape)
        }
        let (cin, overflow) = weight.shape[1].multipliedReportingOverflow(by: groups)
        guard !overflow, shape[1] == cin else {
            throw CNNError.shape(
                "conv2d expected \(weight.shape[1] * groups) input channel\(weight.shape[1] * groups == 1 ? "" : "s"), "
                    + "got \(shape[1]) (input \(shapeString(shape)), weight \(shapeString(weight.shape)))"
            )
        }
        if let bias, bias.shape != [K] {
            throw CNNError.shape("conv2d: bias must have shape [\(K)], got \(shapeString(bias.shape))")
        }
        let g = try windowGeometry(
            "conv2d", input: shape, kernel: (weight.shape[2], weight.shape[3]),
            stride: opt.stride, padding: opt.padding, dilation: opt.dilation)
        let N = shape[0]
        let out = try Tensor(shape: [N, K, g.oh, g.ow], dtype: dt, zeroed: false)
        let plan = ConvPlan(g, images: N, outChannels: K, groups: groups)
        // depthwise (one filter per channel): computed directly, not as one-row products per group
        let depthwise =
            DepthwiseConv.applies(channels: shape[1], outChannels: K, groups: groups)
            ? DepthwiseConv(g: g, images: N) : nil
        let x = self
        switch (dt, depthwise) {
        case (.float32, let d?): try d.forward(Float.self, x, weight, bias, out)
        case (_, let d?): try d.forward(Double.self, x, weight, bias, out)
        case (.float32, nil): try plan.forward(Float.self, x, weight, bias, out)
        case (_, nil): try plan.forward(Double.self, x, weight, bias, out)
        }

        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(out, .conv2d, inputs, saving: [x, weight]) { gy0 in
            let gy = try gy0.contiguous()
            let gx: Tensor? = x.requiresGrad ? try Tensor(shape: x.shape, dtype: dt, zeroed: true) : nil
            let gw: Tensor? = weight.requiresGrad ? try Tensor(shape: weight.shape, dtype: dt, zeroed: true) : nil
            let gb: Tensor? = (bias?.requiresGrad ?? false) ? try Tensor(shape: [K], dtype: dt, zeroed: true) : nil
            switch (dt, depthwise) {
            case (.float32, let d?): try d.backward(Float.self, x, weight, gy, gx, gw, gb)
            case (_, let d?): try d.backward(Double.self, x, weight, gy, gx, gw, gb)
            case (.float32, nil): try plan.backward(Float.self, x, weight, gy, gx, gw, gb)
            case (_, nil): try plan.backward(Double.self, x, weight, gy, gx, gw, gb)
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// The column matrix the lecture talks about: shape (C·kh·kw, N·oh·ow), one column per
    /// output position, each holding the receptive field it sees (differentiable).
    public func im2col(
        kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)
    ) throws -> Tensor {
        let x = try floating().contiguous()
        let g = try windowGeometry(
            "im2col", input: shape, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        let N = shape[0], L = g.oh * g.ow
        let out = try Tensor(
            shape: [g.rows, try Shape.multiply(N, L, "im2col columns")], dtype: x.dtype, zeroed: false)
        if x.dtype == .float32 {
            try Im2colKernels.im2col(x.data(Float.self), images: N, g, out.data(Float.self))
        } else {
            try Im2colKernels.im2col(x.data(Double.self), images: N, g, out.data(Double.self))
        }
        let inShape = shape, dt = x.dtype
        return record(out, .im2col, [x]) { gc0 in
            let gc = try gc0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            if dt == .float32 {
                try Im2colKernels.col2im(gc.data(Float.self), images: N, g, gx.data(Float.self))
            } else {
                try Im2colKernels.col2im(gc.data(Double.self), images: N, g, gx.data(Double.self))
            }
            return [gx]
        }
    }

    /// The adjoint of `im2col`: sums each column of a (C·kh·kw, N·oh·ow) matrix back into the receptive field it
    /// came from, giving an `imageShape` (N, C, H, W) tensor; overlapping fields add up. Its backward is `im2col`.
    public func col2im(
        imageShape: [Int], kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
        dilation: (Int, Int) = (1, 1)
    ) throws -> Tensor {
        guard imageShape.count == 4 else {
            throw CNNError.shape("col2im: the image shape must be [N, C, H, W], got \(shapeString(imageShape))")
        }
        let g = try windowGeometry(
            "col2im", input: imageShape, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        let N = imageShape[0]
        let want = [g.rows, try Shape.multiply(N, g.oh * g.ow, "col2im columns")]
        guard shape == want else {
            throw CNNError.shape(
                "col2im: columns for \(shapeString(imageShape)) with a \(kernel.0)×\(kernel.1) kernel must have shape "
                    + "\(shapeString(want)), got \(shapeString(shape))")
        }
        let cols = try floating().contiguous()
        let dt = cols.dtype
        let out = try Tensor(shape: imageShape, dtype: dt, zeroed: true)
        if dt == .float32 {
            try Im2colKernels.col2im(cols.data(Float.self), images: N, g, out.data(Float.self))
        } else {
            try Im2colKernels.col2im(cols.data(Double.self), images: N, g, out.data(Double.self))
        }
        return record(out, .col2im, [self]) { gy in
            [try gy.im2col(kernel: kernel, stride: stride, padding: padding, dilation: dilation)]
        }
    }
}
