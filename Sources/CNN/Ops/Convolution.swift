/// 2-D convolution by im2col + GEMM, batched over blocks of the mini-batch.
/// Output size per spatial dimension: ⌊(N − d·(F − 1) − 1 + 2P) / S⌋ + 1
/// (the lecture's (N − F + 2P)/S + 1 when dilation is 1).
public struct Conv2dOptions: Sendable, Equatable {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    public var groups: Int
    public init(stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }
    public init(stride: Int, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }
    public static func == (a: Self, b: Self) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.groups == b.groups
    }
}

/// Elements per im2col block: bounds workspace memory while keeping GEMMs large.
let im2colBlockElements = 1 << 24

/// Checks a window fits and returns the geometry, with the lecture's arithmetic in the message.
func windowGeometry(_ op: String, input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) throws -> ConvGeometry {
    guard input.count == 4 else {
        throw CNNError.shape("\(op) expects a 4-D input (N, C, H, W), got shape \(shapeString(input))")
    }
    guard kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0, padding.0 >= 0, padding.1 >= 0, dilation.0 > 0, dilation.1 > 0 else {
        throw CNNError.value("\(op): kernel, stride and dilation must be positive and padding non-negative (kernel \(kernel.0)x\(kernel.1), stride \(stride.0), padding \(padding.0))")
    }
    let g = ConvGeometry(c: input[1], h: input[2], w: input[3], kh: kernel.0, kw: kernel.1, sh: stride.0, sw: stride.1,
                         ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1)
    let effH = dilation.0 * (kernel.0 - 1) + 1, effW = dilation.1 * (kernel.1 - 1) + 1
    if g.h + 2 * g.ph < effH || g.w + 2 * g.pw < effW {
        let (n, f, p, s) = g.h + 2 * g.ph < effH ? (g.h, effH, g.ph, g.sh) : (g.w, effW, g.pw, g.sw)
        let pterm = p > 0 ? " + 2*\(p)" : ""
        throw CNNError.shape("\(op): a \(effH)x\(effW) window does not fit a \(g.h)x\(g.w) input\(p > 0 ? " padded by \(p)" : ""): (\(n) - \(f)\(pterm))/\(s) + 1 = \((n - f + 2 * p) / s + 1)")
    }
    return g
}

extension Tensor {
    /// Convolution of `self` (N, C, H, W) with `weight` (K, C/groups, kh, kw) and optional `bias` (K).
    public func conv2d(_ weight: Tensor, bias: Tensor? = nil, _ opt: Conv2dOptions = Conv2dOptions()) throws -> Tensor {
        let dt: DType = (dtype == .float64 || weight.dtype == .float64 || bias?.dtype == .float64) ? .float64 : .float32
        if dtype != dt || weight.dtype != dt || (bias != nil && bias!.dtype != dt) {
            return try to(dt).conv2d(weight.to(dt), bias: bias?.to(dt), opt)
        }
        guard weight.ndim == 4 else {
            throw CNNError.shape("conv2d: weight must be 4-D (out_channels, in_channels/groups, kh, kw), got \(shapeString(weight.shape))")
        }
        let groups = opt.groups
        let K = weight.shape[0]
        guard groups >= 1, K % groups == 0 else {
            throw CNNError.value("conv2d: \(K) output channels are not divisible by groups = \(groups)")
        }
        guard ndim == 4 else {
            throw CNNError.shape("conv2d expects a 4-D input (N, C, H, W), got shape \(shapeString(shape))")
        }
        guard shape[1] == weight.shape[1] * groups else {
            throw CNNError.shape("conv2d expected \(weight.shape[1] * groups) input channels, got \(shape[1]) (input \(shapeString(shape)), weight \(shapeString(weight.shape)))")
        }
        if let bias, bias.shape != [K] {
            throw CNNError.shape("conv2d: bias must have shape [\(K)], got \(shapeString(bias.shape))")
        }
        let g = try windowGeometry("conv2d", input: shape, kernel: (weight.shape[2], weight.shape[3]),
                                   stride: opt.stride, padding: opt.padding, dilation: opt.dilation)
        let N = shape[0], oh = g.oh, ow = g.ow, L = oh * ow
        let Kg = K / groups, CgKK = g.rows / groups
        let out = try Tensor(shape: [N, K, oh, ow], dtype: dt, zeroed: false)
        let nbMax = Swift.max(1, Swift.min(N, im2colBlockElements / Swift.max(g.rows * L, 1)))
        let x = self
        func forward<T: TensorScalar>(_: T.Type) throws {
            let cols = try Tensor(shape: [g.rows * nbMax * L], dtype: dt, zeroed: false)
            let tmp = try Tensor(shape: [K * nbMax * L], dtype: dt, zeroed: false)
            let cp = cols.storage.pointer(T.self), tp = tmp.storage.pointer(T.self)
            let xp = x.storage.pointer(T.self), wp = weight.storage.pointer(T.self), op = out.storage.pointer(T.self)
            let bp = bias?.storage.pointer(T.self)
            var n0 = 0
            while n0 < N {
                try Cancellation.check()
                let nb = Swift.min(nbMax, N - n0), ncols = nb * L
                Im2colKernels.im2col(xp + n0 * g.c * g.h * g.w, images: nb, g, cp)
                for gi in 0..<groups {
                    T.gemm(transA: false, transB: false, m: Kg, n: ncols, k: CgKK, alpha: 1,
                           a: wp + gi * Kg * CgKK, lda: CgKK, b: cp + gi * CgKK * ncols, ldb: ncols,
                           beta: 0, c: tp + gi * Kg * ncols, ldc: ncols)
                }
                for n in 0..<nb { for k in 0..<K {
                    let dst = op + ((n0 + n) * K + k) * L, src = tp + k * ncols + n * L
                    if let bp { let b = bp[k]; for i in 0..<L { dst[i] = src[i] + b } } else { dst.update(from: src, count: L) }
                } }
                n0 += nb
            }
        }
        if dt == .float32 { try forward(Float.self) } else { try forward(Double.self) }

        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(out, "conv2d", inputs) { gy in
            let gx: Tensor? = x.requiresGrad ? try Tensor(shape: x.shape, dtype: dt, zeroed: true) : nil
            let gw: Tensor? = weight.requiresGrad ? try Tensor(shape: weight.shape, dtype: dt, zeroed: true) : nil
            let gb: Tensor? = (bias?.requiresGrad ?? false) ? try Tensor(shape: [K], dtype: dt, zeroed: true) : nil
            func backward<T: TensorScalar>(_: T.Type) throws {
                let cols = try Tensor(shape: [g.rows * nbMax * L], dtype: dt, zeroed: false)
                let gt = try Tensor(shape: [K * nbMax * L], dtype: dt, zeroed: false)
                let cp = cols.storage.pointer(T.self), gtp = gt.storage.pointer(T.self)
                let xp = x.storage.pointer(T.self), wp = weight.storage.pointer(T.self), gyp = gy.storage.pointer(T.self)
                var n0 = 0
                while n0 < N {
                    try Cancellation.check()
                    let nb = Swift.min(nbMax, N - n0), ncols = nb * L
                    for n in 0..<nb { for k in 0..<K {
                        (gtp + k * ncols + n * L).update(from: gyp + ((n0 + n) * K + k) * L, count: L)
                    } }
                    if let gb {
                        let bp = gb.storage.pointer(T.self)
                        for k in 0..<K { var s: T = 0; let r = gtp + k * ncols; for i in 0..<ncols { s += r[i] }; bp[k] += s }
                    }
                    if let gw {
                        Im2colKernels.im2col(xp + n0 * g.c * g.h * g.w, images: nb, g, cp)
                        let gwp = gw.storage.pointer(T.self)
                        for gi in 0..<groups {
                            T.gemm(transA: false, transB: true, m: Kg, n: CgKK, k: ncols, alpha: 1,
                                   a: gtp + gi * Kg * ncols, lda: ncols, b: cp + gi * CgKK * ncols, ldb: ncols,
                                   beta: 1, c: gwp + gi * Kg * CgKK, ldc: CgKK)
                        }
                    }
                    if let gx {
                        for gi in 0..<groups {
                            T.gemm(transA: true, transB: false, m: CgKK, n: ncols, k: Kg, alpha: 1,
                                   a: wp + gi * Kg * CgKK, lda: CgKK, b: gtp + gi * Kg * ncols, ldb: ncols,
                                   beta: 0, c: cp + gi * CgKK * ncols, ldc: ncols)
                        }
                        Im2colKernels.col2im(cp, images: nb, g, gx.storage.pointer(T.self) + n0 * g.c * g.h * g.w)
                    }
                    n0 += nb
                }
            }
            if dt == .float32 { try backward(Float.self) } else { try backward(Double.self) }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// The column matrix the lecture talks about: shape (C·kh·kw, N·oh·ow), one column per
    /// output position, each holding the receptive field it sees (differentiable).
    public func im2col(kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) throws -> Tensor {
        let g = try windowGeometry("im2col", input: shape, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        let N = shape[0], L = g.oh * g.ow
        let out = try Tensor(shape: [g.rows, N * L], dtype: dtype, zeroed: false)
        if dtype == .float32 { Im2colKernels.im2col(storage.floats, images: N, g, out.storage.floats) }
        else { Im2colKernels.im2col(storage.doubles, images: N, g, out.storage.doubles) }
        let inShape = shape, dt = dtype
        return record(out, "im2col", [self]) { gc in
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            if dt == .float32 { Im2colKernels.col2im(gc.storage.floats, images: N, g, gx.storage.floats) }
            else { Im2colKernels.col2im(gc.storage.doubles, images: N, g, gx.storage.doubles) }
            return [gx]
        }
    }
}
