/// Max and average pooling over NCHW input; output ⌊(N − F + 2P)/S⌋ + 1.
extension Tensor {
    /// Max pooling. Backward sends each window's gradient to one maximum only: the first
    /// in row-major order when values tie. Padding counts as −∞.
    public func maxPool2d(
        kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false
    ) throws -> Tensor {
        let x = try floating().contiguous()
        let s = stride ?? kernel
        var g = try windowGeometry(
            "max_pool2d", input: shape, kernel: kernel, stride: s, padding: padding, dilation: (1, 1))
        g.ceilMode = ceilMode
        guard padding.0 * 2 <= kernel.0, padding.1 * 2 <= kernel.1 else {
            throw CNNError.value("max_pool2d: padding \(padding.0) must be at most half the kernel size \(kernel.0)")
        }
        let planes = shape[0] * shape[1], oh = g.oh, ow = g.ow, HW = g.h * g.w, L = oh * ow
        let out = try Tensor(shape: [shape[0], shape[1], oh, ow], dtype: x.dtype, zeroed: false)
        // the position of each window's maximum, for the backward pass only (a buffer charged to the budget)
        let argmax =
            GradMode.isEnabled && x.requiresGrad ? try Tensor(shape: [planes * L], dtype: .int64, zeroed: false) : nil
        let a = argmax?.data(Int64.self)
        let kernel = MaxPoolKernel(g: g)
        func run<T: TensorScalar>(_: T.Type) throws {
            let xd = x.data(T.self), y = out.data(T.self)
            try Parallel.forEach(planes, grain: Swift.max(1, (1 << 15) / Swift.max(L * g.kh * g.kw, 1))) { r in
                for p in r { kernel.plane(UnsafePointer(xd + p * HW), y + p * L, a.map { $0 + p * L }) }
            }
        }
        if x.dtype == .float32 { try run(Float.self) } else { try run(Double.self) }
        guard let argmax, let a else { return out }
        let inShape = shape, dt = x.dtype
        return record(out, .maxPool2d, [x], saving: [argmax]) { gy0 in
            let gy = try gy0.contiguous()
            if SupportGradients.isOn { return [try gy.spreadOverWindows(inShape, g)] }
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            func back<T: TensorScalar>(_: T.Type) throws {
                let gp = gy.data(T.self), xp = gx.data(T.self)
                try Parallel.forEach(planes, grain: Swift.max(1, (1 << 16) / Swift.max(L, 1))) { r in
                    for p in r { for o in 0..<L { xp[p * HW + Int(a[p * L + o])] += gp[p * L + o] } }
                }
            }
            if dt == .float32 { try back(Float.self) } else { try back(Double.self) }
            return [gx]
        }
    }

    /// Average pooling (padding counts as zeros in the average, PyTorch's default).
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor
    {
        let xin = try floating().contiguous()
        let s = stride ?? kernel
        let g = try windowGeometry(
            "avg_pool2d", input: shape, kernel: kernel, stride: s, padding: padding, dilation: (1, 1))
        let planes = shape[0] * shape[1], oh = g.oh, ow = g.ow, HW = g.h * g.w, L = oh * ow
        let out = try Tensor(shape: [shape[0], shape[1], oh, ow], dtype: xin.dtype, zeroed: false)
        let inv = 1.0 / Double(g.kh * g.kw)
        /// Visits each output position with the clipped window bounds (padding counts as zeros).
        @inline(__always) func forEachWindow(_ p: Int, _ body: (Int, Int, Int, Int, Int) -> Void) {
            for oy in 0..<oh {
                let y0 = oy * g.sh - g.ph, ya = Swift.max(y0, 0), yb = Swift.min(y0 + g.kh, g.h)
                for ox in 0..<ow {
                    let x0 = ox * g.sw - g.pw, xa = Swift.max(x0, 0), xb = Swift.min(x0 + g.kw, g.w)
                    body(p * L + oy * ow + ox, ya, yb, xa, xb)
                }
            }
        }
        let grain = Swift.max(1, (1 << 15) / Swift.max(L * g.kh * g.kw, 1))
        func run<T: TensorScalar>(_: T.Type) throws {
            let x = xin.data(T.self), y = out.data(T.self), f = T(inv)
            try Parallel.forEach(planes, grain: grain) { r in
                for p in r {
                    let xp = x + p * HW
                    forEachWindow(p) { o, ya, yb, xa, xb in
                        var acc: T = 0
                        var iy = ya
                        while iy < yb { var ix = xa; while ix < xb { acc += xp[iy * g.w + ix]; ix += 1 }; iy += 1 }
                        y[o] = acc * f
                    }
                }
            }
        }
        if xin.dtype == .float32 { try run(Float.self) } else { try run(Double.self) }
        let inShape = shape, dt = xin.dtype
        return record(out, .avgPool2d, [xin]) { gy0 in
            let gy = try gy0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            func back<T: TensorScalar>(_: T.Type) throws {
                let gp = gy.data(T.self), xg = gx.data(T.self), f = T(inv)
                try Parallel.forEach(planes, grain: grain) { r in
                    for p in r {
                        let xp = xg + p * HW
                        forEachWindow(p) { o, ya, yb, xa, xb in
                            let v = gp[o] * f
                            var iy = ya
                            while iy < yb { var ix = xa; while ix < xb { xp[iy * g.w + ix] += v; ix += 1 }; iy += 1 }
                        }
                    }
                }
            }
            if dt == .float32 { try back(Float.self) } else { try back(Double.self) }
            return [gx]
        }
    }

    /// Global average pooling: (N, C, H, W) → (N, C, 1, 1).
    public func globalAvgPool() throws -> Tensor {
        guard ndim == 4 else {
            throw CNNError.needsBatch("global average pooling", shape)
        }
        return try mean(dims: [2, 3], keepdim: true)
    }

    /// Adaptive average pooling to (oh, ow): window i covers ⌊i·H/oh⌋ ..< ⌈(i+1)·H/oh⌉ (PyTorch's rule).
    public func adaptiveAvgPool2d(_ oh: Int, _ ow: Int) throws -> Tensor {
        guard ndim == 4 else {
            throw CNNError.needsBatch("adaptive_avg_pool2d", shape)
        }
        guard oh > 0, ow > 0 else {
            throw CNNError.value("adaptive_avg_pool2d output size must be positive, got \(oh)x\(ow)")
        }
        let H = shape[2], W = shape[3], planes = shape[0] * shape[1]
        guard H > 0, W > 0 else { throw CNNError.shape("adaptive_avg_pool2d of an empty \(H)x\(W) input") }
        if oh == 1 && ow == 1 { return try mean(dims: [2, 3], keepdim: true) }
        let x = try floating().contiguous()
        let out = try Tensor(shape: [shape[0], shape[1], oh, ow], dtype: x.dtype, zeroed: true)
        func windows(_ body: (Int, Int, Double) -> Void) throws {
            for p in 0..<planes {
                try Cancellation.check()
                for i in 0..<oh {
                    for j in 0..<ow {
                        let y0 = (i * H) / oh, y1 = ((i + 1) * H + oh - 1) / oh
                        let x0 = (j * W) / ow, x1 = ((j + 1) * W + ow - 1) / ow
                        let inv = 1.0 / Double((y1 - y0) * (x1 - x0))
                        for y in y0..<y1 {
                            for x in x0..<x1 { body((p * oh + i) * ow + j, p * H * W + y * W + x, inv) }
                        }
                    }
                }
            }
        }
        let xs = x.storage, os = out.storage, xo = x.offset
        try windows { o, i, inv in os.set(o, os.get(o) + xs.get(xo + i) * inv) }
        let inShape = shape, dt = x.dtype
        return record(out, .adaptiveAvgPool2d, [x]) { g0 in
            let g = try g0.contiguous()
            let gx = try Tensor(shape: inShape, dtype: dt, zeroed: true)
            let gs = g.storage, xs2 = gx.storage, go = g.offset
            try windows { o, i, inv in xs2.set(i, xs2.get(i) + gs.get(go + o) * inv) }
            return [gx]
        }
    }

    /// Each output cell's gradient added to every input cell of its window (a max pool's support gradient:
    /// the window it could have picked from).
    func spreadOverWindows(_ inShape: [Int], _ g: ConvGeometry) throws -> Tensor {
        let planes = inShape[0] * inShape[1], oh = g.oh, ow = g.ow, HW = g.h * g.w, L = oh * ow
        let gx = try Tensor(shape: inShape, dtype: dtype, zeroed: true)
        func spread<T: TensorScalar>(_: T.Type) {
            let gp = data(T.self), xp = gx.data(T.self)
            for p in 0..<planes {
                for oy in 0..<oh {
                    let y0 = oy * g.sh - g.ph, ya = Swift.max(y0, 0), yb = Swift.min(y0 + g.kh, g.h)
                    for ox in 0..<ow {
                        let x0 = ox * g.sw - g.pw, xa = Swift.max(x0, 0), xb = Swift.min(x0 + g.kw, g.w)
                        let v = gp[p * L + oy * ow + ox]
                        for iy in ya..<Swift.max(ya, yb) {
                            for ix in xa..<Swift.max(xa, xb) { xp[p * HW + iy * g.w + ix] += v }
                        }
                    }
                }
            }
        }
        if dtype == .float32 { spread(Float.self) } else { spread(Double.self) }
        return gx
    }
}
