/// The direct depthwise kernels, for any stride, padding and dilation. Each plane is copied into a
/// `PaddedPlane` (zero border; columns split by the column stride, so strided windows read consecutive
/// addresses), then every output cell sums its kh·kw taps in vector registers, eight cells at a time — one load
/// and one multiply-add per tap, each output written once. (Adding tap by tap over the plane loaded and
/// stored every output cell once per tap, and strided reads did not vectorise.) The input gradient with
/// stride 1 is the same correlation over the padded output gradient with the filter turned by 180°; with a
/// larger stride each tap's contribution is added into a padded buffer in vector rows. The filter gradient
/// sums gy times the padded input, four taps at a time.
extension DepthwiseConv {
    /// A padded copy of an input plane, its columns split by the column stride.
    func paddedInput<T: TensorScalar>(_: T.Type) -> PaddedPlane<T> {
        PaddedPlane<T>(
            rows: g.h + 2 * g.ph, cols: g.w + 2 * g.pw, top: g.ph, left: g.pw, srcRows: g.h, srcCols: g.w,
            phases: g.sw)
    }

    /// out[oy][ox] = initial + Σ taps[t] · buffer[oy·rowStep + off[t] + ox] over the n taps, for an `oh`×`ow`
    /// output (`off` from `PaddedPlane.tapOffsets`, `rowStep` = row stride × `rowStride`). Sixteen cells per
    /// step where the row allows (four independent sums, even and odd taps apart, so the adds do not wait on
    /// each other), then eight, then one at a time.
    @inline(__always)
    static func correlate<T: TensorScalar>(
        _ p: PaddedPlane<T>, _ taps: UnsafePointer<T>, _ off: UnsafePointer<Int>, _ n: Int, rowStep: Int,
        _ out: UnsafeMutablePointer<T>, oh: Int, ow: Int, initial: T
    ) {
        do {
            let start = SIMD8<T>(repeating: initial)
            for oy in 0..<oh {
                let row = UnsafePointer(p.buffer + oy &* rowStep), dst = out + oy &* ow
                var ox = 0
                while ox &+ 16 <= ow {
                    var a0 = start, a1 = SIMD8<T>(), b0 = start, b1 = SIMD8<T>()
                    var t = 0
                    while t &+ 1 < n {
                        let w0 = SIMD8<T>(repeating: taps[t]), w1 = SIMD8<T>(repeating: taps[t &+ 1])
                        let r0 = row + (ox &+ off[t]), r1 = row + (ox &+ off[t &+ 1])
                        a0 = a0.addingProduct(load(r0), w0)
                        b0 = b0.addingProduct(load(r0 + 8), w0)
                        a1 = a1.addingProduct(load(r1), w1)
                        b1 = b1.addingProduct(load(r1 + 8), w1)
                        t &+= 2
                    }
                    if t < n {
                        let w0 = SIMD8<T>(repeating: taps[t]), r0 = row + (ox &+ off[t])
                        a0 = a0.addingProduct(load(r0), w0)
                        b0 = b0.addingProduct(load(r0 + 8), w0)
                    }
                    store(a0 + a1, dst + ox)
                    store(b0 + b1, dst + (ox &+ 8))
                    ox &+= 16
                }
                while ox &+ 8 <= ow {
                    var a0 = start, a1 = SIMD8<T>()
                    var t = 0
                    while t &+ 1 < n {
                        a0 = a0.addingProduct(load(row + (ox &+ off[t])), SIMD8<T>(repeating: taps[t]))
                        a1 = a1.addingProduct(load(row + (ox &+ off[t &+ 1])), SIMD8<T>(repeating: taps[t &+ 1]))
                        t &+= 2
                    }
                    if t < n { a0 = a0.addingProduct(load(row + (ox &+ off[t])), SIMD8<T>(repeating: taps[t])) }
                    store(a0 + a1, dst + ox)
                    ox &+= 8
                }
                while ox < ow {
                    var s = initial
                    for t in 0..<n { s += taps[t] * row[ox &+ off[t]] }
                    dst[ox] = s
                    ox &+= 1
                }
            }
        }
    }

    @inline(__always) private static func load<T: TensorScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always) private static func store<T: TensorScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
    }

    /// Runs `body(pad, offsets, planes)` for chunks of the (image, channel) planes in parallel, each chunk with
    /// its own padded buffer shaped for the input and the taps' offsets in it.
    private func forEachPlanePadded<T: TensorScalar>(
        _: T.Type, _ body: (PaddedPlane<T>, UnsafePointer<Int>, Range<Int>) -> Void
    ) throws {
        let g = g, taps = g.kh * g.kw
        try Parallel.forEach(images * g.c, grain: Swift.max(1, (1 << 14) / Swift.max(g.oh * g.ow * taps, 1))) { r in
            let pad = paddedInput(T.self)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: taps)
            defer {
                pad.deallocate()
                offsets.deallocate()
            }
            pad.tapOffsets(kh: g.kh, kw: g.kw, dh: g.dh, dw: g.dw, into: offsets)
            body(pad, offsets, r)
        }
    }

    /// Forward: out = bias + Σ w[a][b] · padded x[oy·sh + a·dh][ox·sw + b·dw], over planes in parallel.
    func forwardPadded<T: TensorScalar>(
        _ xp: UnsafeMutablePointer<T>, _ wp: UnsafeMutablePointer<T>, _ bp: UnsafeMutablePointer<T>?,
        _ op: UnsafeMutablePointer<T>
    ) throws {
        let g = g, hw = g.h * g.w, oh = g.oh, ow = g.ow, taps = g.kh * g.kw
        try forEachPlanePadded(T.self) { pad, offsets, planes in
            for plane in planes {
                let ch = plane % g.c
                pad.load(xp + plane * hw)
                Self.correlate(
                    pad, wp + ch * taps, offsets, taps, rowStep: g.sh * pad.rowStride, op + plane * oh * ow, oh: oh,
                    ow: ow, initial: bp?[ch] ?? 0)
            }
        }
    }

    /// Input gradient with stride 1: gx[i][j] = Σ w[a][b] · gy[i + ph − a·dh][j + pw − b·dw], written as a
    /// correlation of the padded gradient with the turned filter.
    func inputGradientUnitStride<T: TensorScalar>(
        _ gyp: UnsafeMutablePointer<T>, _ wp: UnsafeMutablePointer<T>, _ gxp: UnsafeMutablePointer<T>
    ) throws {
        let g = g, hw = g.h * g.w, ohw = g.oh * g.ow, taps = g.kh * g.kw
        let spanH = (g.kh - 1) * g.dh, spanW = (g.kw - 1) * g.dw
        try Parallel.forEach(images * g.c, grain: Swift.max(1, (1 << 14) / Swift.max(ohw * taps, 1))) { r in
            let pad = PaddedPlane<T>(
                rows: g.h + spanH, cols: g.w + spanW, top: spanH - g.ph, left: spanW - g.pw, srcRows: g.oh,
                srcCols: g.ow)
            let turned = UnsafeMutablePointer<T>.allocate(capacity: taps)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: taps)
            defer {
                pad.deallocate()
                turned.deallocate()
                offsets.deallocate()
            }
            pad.tapOffsets(kh: g.kh, kw: g.kw, dh: g.dh, dw: g.dw, into: offsets)
            var lastChannel = -1
            for plane in r {
                let ch = plane % g.c
                if ch != lastChannel {
                    for t in 0..<taps { turned[t] = wp[ch * taps + taps - 1 - t] }
                    lastChannel = ch
                }
                pad.load(gyp + plane * ohw)
                Self.correlate(
                    pad, turned, offsets, taps, rowStep: pad.rowStride, gxp + plane * hw, oh: g.h, ow: g.w,
                    initial: 0)
            }
        }
    }

    /// Input gradient with a larger stride: each tap adds w[a][b] · gy row by row into a zeroed padded buffer
    /// (the cells a tap's windows touch in a row are consecutive there), and the part over the input is
    /// copied out.
    func inputGradientStrided<T: TensorScalar>(
        _ gyp: UnsafeMutablePointer<T>, _ wp: UnsafeMutablePointer<T>, _ gxp: UnsafeMutablePointer<T>
    ) throws {
        // oh and ow are computed properties (a division each): read once, not per row
        let g = g, hw = g.h * g.w, oh = g.oh, ow = g.ow, ohw = oh * ow, taps = g.kh * g.kw
        try forEachPlanePadded(T.self) { pad, offsets, planes in
            let rowStep = g.sh * pad.rowStride
            for plane in planes {
                let f = wp + (plane % g.c) * taps, up = gyp + plane * ohw
                pad.clear()
                for oy in 0..<oh {
                    let row = pad.buffer + oy &* rowStep, u = up + oy &* ow
                    for t in 0..<taps {
                        let dst = row + offsets[t], wv = f[t], w8 = SIMD8<T>(repeating: f[t])
                        var ox = 0
                        while ox &+ 8 <= ow {
                            Self.store(Self.load(dst + ox).addingProduct(Self.load(u + ox), w8), dst + ox)
                            ox &+= 8
                        }
                        while ox < ow {
                            dst[ox] += wv * u[ox]
                            ox &+= 1
                        }
                    }
                }
                pad.unload(gxp + plane * hw)
            }
        }
    }

    /// Filter and bias gradients: gw[a][b] = Σ over images and cells of gy[oy][ox] · padded
    /// x[oy·sh + a·dh][ox·sw + b·dw]. Per channel (channels in parallel), each image's plane is padded once
    /// and the taps are summed four at a time in vector registers over eight cells per step: one load of gy
    /// serves four taps, and the sums do not wait on each other. (One dot product per tap was bound by its
    /// single chain of additions.)
    func filterGradientPadded<T: TensorScalar>(
        _ xp: UnsafeMutablePointer<T>, _ gyp: UnsafeMutablePointer<T>, _ gwp: UnsafeMutablePointer<T>?,
        _ gbp: UnsafeMutablePointer<T>?
    ) throws {
        let g = g, hw = g.h * g.w, ohw = g.oh * g.ow, taps = g.kh * g.kw, images = images
        try Parallel.forEach(g.c, grain: 1) { r in
            let pad = paddedInput(T.self)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: taps)
            let lanes = UnsafeMutablePointer<SIMD8<T>>.allocate(capacity: taps)
            let tails = UnsafeMutablePointer<T>.allocate(capacity: taps)
            defer {
                pad.deallocate()
                offsets.deallocate()
                lanes.deallocate()
                tails.deallocate()
            }
            pad.tapOffsets(kh: g.kh, kw: g.kw, dh: g.dh, dw: g.dw, into: offsets)
            let rowStep = g.sh * pad.rowStride
            for ch in r {
                if let gbp {
                    for img in 0..<images { gbp[ch] += ReduceKernels.laneSum(gyp + (img * g.c + ch) * ohw, ohw) }
                }
                guard let gwp else { continue }
                lanes.initialize(repeating: SIMD8<T>(), count: taps)
                tails.initialize(repeating: 0, count: taps)
                for img in 0..<images {
                    let plane = img * g.c + ch
                    pad.load(xp + plane * hw)
                    var t = 0
                    while t < taps {
                        Self.accumulateTaps(
                            pad, gyp + plane * ohw, oh: g.oh, ow: g.ow, rowStep: rowStep, offsets, from: t,
                            count: Swift.min(4, taps - t), lanes, tails)
                        t += 4
                    }
                }
                for t in 0..<taps { gwp[ch * taps + t] += lanes[t].sum() + tails[t] }
            }
        }
    }

    /// Adds Σ gy[oy][ox] · buffer[oy·rowStep + ox + offsets[t]] for taps t in `first ..< first + count` (count
    /// at most 4) to `lanes[t]` (eight cells per step) and, for the cells left over at each row's end, to
    /// `tails[t]`.
    @inline(__always)
    private static func accumulateTaps<T: TensorScalar>(
        _ p: PaddedPlane<T>, _ gy: UnsafePointer<T>, oh: Int, ow: Int, rowStep: Int, _ offsets: UnsafePointer<Int>,
        from first: Int,
        count: Int, _ lanes: UnsafeMutablePointer<SIMD8<T>>, _ tails: UnsafeMutablePointer<T>
    ) {
        // taps past `count` repeat the last one; their sums are dropped
        let o0 = offsets[first], o1 = offsets[first + Swift.min(1, count - 1)]
        let o2 = offsets[first + Swift.min(2, count - 1)], o3 = offsets[first + Swift.min(3, count - 1)]
        var s0 = SIMD8<T>(), s1 = SIMD8<T>(), s2 = SIMD8<T>(), s3 = SIMD8<T>()
        var r0: T = 0, r1: T = 0, r2: T = 0, r3: T = 0
        for oy in 0..<oh {
            let row = UnsafePointer(p.buffer + oy &* rowStep), u = gy + oy &* ow
            var ox = 0
            while ox &+ 8 <= ow {
                let v = load(u + ox)
                s0 = s0.addingProduct(v, load(row + (ox &+ o0)))
                s1 = s1.addingProduct(v, load(row + (ox &+ o1)))
                s2 = s2.addingProduct(v, load(row + (ox &+ o2)))
                s3 = s3.addingProduct(v, load(row + (ox &+ o3)))
                ox &+= 8
            }
            while ox < ow {
                let v = u[ox]
                r0 += v * row[ox &+ o0]
                r1 += v * row[ox &+ o1]
                r2 += v * row[ox &+ o2]
                r3 += v * row[ox &+ o3]
                ox &+= 1
            }
        }
        lanes[first] += s0
        tails[first] += r0
        if count > 1 {
            lanes[first + 1] += s1
            tails[first + 1] += r1
        }
        if count > 2 {
            lanes[first + 2] += s2
            tails[first + 2] += r2
        }
        if count > 3 {
            lanes[first + 3] += s3
            tails[first + 3] += r3
        }
    }
}
