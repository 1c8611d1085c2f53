/// Depthwise convolution (groups = input channels = output channels: one kh×kw filter per channel) computed
/// directly, plane by plane, instead of by im2col + GEMM: there each group is a product with one row and
/// kh·kw columns, so the time went into BLAS calls and column matrices, not arithmetic. Forward and the input
/// gradient run over (image, channel) planes in parallel; the filter gradient over channels (summing images).
/// Any stride, padding and dilation; the window's valid range is worked out per output row and column, so
/// the inner loops have no bounds tests.
struct DepthwiseConv {
    let g: ConvGeometry
    let images: Int

    /// Whether `conv2d` with these settings is depthwise (each group one input and one output channel).
    static func applies(channels: Int, outChannels: Int, groups: Int) -> Bool {
        groups == channels && outChannels == channels && groups > 1
    }

    func forward<T: TensorScalar>(_: T.Type, _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ out: Tensor) throws {
        let xp = x.data(T.self), wp = weight.data(T.self), op = out.data(T.self), bp = bias?.data(T.self)
        let g = g, planes = images * g.c, hw = g.h * g.w, ohw = g.oh * g.ow
        if unitStride {
            try forwardUnitStride(xp, wp, bp, op)
            return
        }
        try Parallel.forEach(planes, grain: Swift.max(1, (1 << 14) / Swift.max(ohw * g.kh * g.kw, 1))) { r in
            for plane in r {
                let ch = plane % g.c
                let src = xp + plane * hw, dst = op + plane * ohw, f = wp + ch * g.kh * g.kw
                let b = bp?[ch] ?? 0
                for i in 0..<ohw { dst[i] = b }
                for a in 0..<g.kh {
                    let rows = ConvGeometry.validOutputs(
                        tap: a, size: g.h, out: g.oh, stride: g.sh, pad: g.ph, dilation: g.dh)
                    for bb in 0..<g.kw {
                        let cols = ConvGeometry.validOutputs(
                            tap: bb, size: g.w, out: g.ow, stride: g.sw, pad: g.pw, dilation: g.dw)
                        let wv = f[a * g.kw + bb]
                        for oy in rows {
                            let iy = oy * g.sh - g.ph + a * g.dh
                            let srow = src + iy * g.w + bb * g.dw - g.pw, drow = dst + oy * g.ow
                            if g.sw == 1 {
                                for ox in cols { drow[ox] += wv * srow[ox] }  // unit stride: vectorises
                            } else {
                                for ox in cols { drow[ox] += wv * srow[ox * g.sw] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The gradients for input, filters and bias (each written only when given; all zeroed by the caller).
    func backward<T: TensorScalar>(
        _: T.Type, _ x: Tensor, _ weight: Tensor, _ gy: Tensor, _ gx: Tensor?, _ gw: Tensor?, _ gb: Tensor?
    ) throws {
        let xp = x.data(T.self), wp = weight.data(T.self), gyp = gy.data(T.self)
        let g = g, n = images, hw = g.h * g.w, ohw = g.oh * g.ow, taps = g.kh * g.kw
        if let gxp = gx?.data(T.self), unitStride {
            try inputGradientUnitStride(gyp, wp, gxp)
        } else if let gxp = gx?.data(T.self) {
            try Parallel.forEach(n * g.c, grain: Swift.max(1, (1 << 14) / Swift.max(ohw * taps, 1))) { r in
                for plane in r {
                    let ch = plane % g.c
                    let dst = gxp + plane * hw, up = gyp + plane * ohw, f = wp + ch * taps
                    for a in 0..<g.kh {
                        let rows = ConvGeometry.validOutputs(
                            tap: a, size: g.h, out: g.oh, stride: g.sh, pad: g.ph, dilation: g.dh)
                        for bb in 0..<g.kw {
                            let cols = ConvGeometry.validOutputs(
                                tap: bb, size: g.w, out: g.ow, stride: g.sw, pad: g.pw, dilation: g.dw)
                            let wv = f[a * g.kw + bb]
                            for oy in rows {
                                let iy = oy * g.sh - g.ph + a * g.dh
                                let drow = dst + iy * g.w + bb * g.dw - g.pw, urow = up + oy * g.ow
                                if g.sw == 1 {
                                    for ox in cols { drow[ox] += wv * urow[ox] }
                                } else {
                                    for ox in cols { drow[ox * g.sw] += wv * urow[ox] }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard gw != nil || gb != nil else { return }
        let gwp = gw?.data(T.self), gbp = gb?.data(T.self)
        if unitStride {
            try filterGradientUnitStride(xp, gyp, gwp, gbp)
            return
        }
        try Parallel.forEach(g.c, grain: 1) { r in
            // products are summed into a row of partial sums (a loop that vectorises), then the row is added up
            let acc = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(g.ow, 1))
            defer { acc.deallocate() }
            for ch in r {
                for img in 0..<n {
                    let plane = img * g.c + ch
                    let src = xp + plane * hw, up = gyp + plane * ohw
                    if let gbp { gbp[ch] += ReduceKernels.laneSum(up, ohw) }
                    guard let gwp else { continue }
                    for a in 0..<g.kh {
                        let rows = ConvGeometry.validOutputs(
                            tap: a, size: g.h, out: g.oh, stride: g.sh, pad: g.ph, dilation: g.dh)
                        for bb in 0..<g.kw {
                            let cols = ConvGeometry.validOutputs(
                                tap: bb, size: g.w, out: g.ow, stride: g.sw, pad: g.pw, dilation: g.dw)
                            acc.update(repeating: 0, count: g.ow)
                            for oy in rows {
                                let iy = oy * g.sh - g.ph + a * g.dh
                                let srow = src + iy * g.w + bb * g.dw - g.pw, urow = up + oy * g.ow
                                if g.sw == 1 {
                                    for ox in cols { acc[ox] += urow[ox] * srow[ox] }
                                } else {
                                    for ox in cols { acc[ox] += urow[ox] * srow[ox * g.sw] }
                                }
                            }
                            var s: T = 0
                            for ox in cols { s += acc[ox] }
                            gwp[ch * taps + a * g.kw + bb] += s
                        }
                    }
                }
            }
        }
    }
}
