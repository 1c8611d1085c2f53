/// Depthwise convolution with stride 1 (any padding and dilation): each plane is copied into a buffer with a
/// zero border, then every output cell sums its kh·kw taps in registers, eight cells at a time — one load and
/// one multiply-add per tap, and each output written once. (Adding tap by tap over the whole plane loaded and
/// stored every output cell once per tap.) The input gradient is the same correlation over the padded output
/// gradient with the filter turned by 180°; the filter gradient sums gy times the padded input, four taps at
/// a time.
extension DepthwiseConv {
    /// Whether the padded path applies.
    var unitStride: Bool { g.sh == 1 && g.sw == 1 }

    /// A zero-bordered copy of planes: `rows`×`cols`, a plane of `srcRows`×`srcCols` placed with its row `r`
    /// at buffer row `r + top` and column `c` at `c + left` (rows and columns falling outside are dropped;
    /// the border is zeroed once and never written).
    struct PaddedPlane<T: TensorScalar> {
        let rows: Int, cols: Int, top: Int, left: Int, srcRows: Int, srcCols: Int
        let buffer: UnsafeMutablePointer<T>

        init(rows: Int, cols: Int, top: Int, left: Int, srcRows: Int, srcCols: Int) {
            self.rows = rows
            self.cols = cols
            self.top = top
            self.left = left
            self.srcRows = srcRows
            self.srcCols = srcCols
            buffer = .allocate(capacity: Swift.max(1, rows * cols))
            buffer.initialize(repeating: 0, count: rows * cols)
        }

        func deallocate() { buffer.deallocate() }

        /// Copies one source plane in (the part that falls inside the buffer).
        @inline(__always) func load(_ src: UnsafePointer<T>) {
            let r0 = Swift.max(0, -top), r1 = Swift.min(srcRows, rows - top)
            let c0 = Swift.max(0, -left), c1 = Swift.min(srcCols, cols - left)
            guard r0 < r1, c0 < c1 else { return }
            for r in r0..<r1 {
                (buffer + (r + top) * cols + c0 + left).update(from: src + r * srcCols + c0, count: c1 - c0)
            }
        }
    }

    /// out[oy][ox] = initial + Σ taps[a][b] · padded[oy + a·dh][ox + b·dw], for an `oh`×`ow` output. Sixteen
    /// cells per step where the row allows (four independent sums, even and odd taps apart, so the adds do not
    /// wait on each other), then eight, then one at a time.
    @inline(__always)
    static func correlate<T: TensorScalar>(
        _ p: PaddedPlane<T>, _ taps: UnsafePointer<T>, kh: Int, kw: Int, dh: Int, dw: Int,
        _ out: UnsafeMutablePointer<T>, oh: Int, ow: Int, initial: T
    ) {
        let n = kh * kw
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { offsets in
            for a in 0..<kh {
                for b in 0..<kw { offsets[a * kw + b] = a * dh * p.cols + b * dw }
            }
            let off = UnsafePointer(offsets.baseAddress!)
            let start = SIMD8<T>(repeating: initial)
            for oy in 0..<oh {
                let row = UnsafePointer(p.buffer + oy &* p.cols), dst = out + oy &* ow
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

    /// Forward with stride 1.
    func forwardUnitStride<T: TensorScalar>(
        _ xp: UnsafeMutablePointer<T>, _ wp: UnsafeMutablePointer<T>, _ bp: UnsafeMutablePointer<T>?,
        _ op: UnsafeMutablePointer<T>
    ) throws {
        let g = g, hw = g.h * g.w, ohw = g.oh * g.ow, taps = g.kh * g.kw
        try Parallel.forEach(images * g.c, grain: Swift.max(1, (1 << 14) / Swift.max(ohw * taps, 1))) { r in
            let pad = PaddedPlane<T>(
                rows: g.h + 2 * g.ph, cols: g.w + 2 * g.pw, top: g.ph, left: g.pw, srcRows: g.h, srcCols: g.w)
            defer { pad.deallocate() }
            for plane in r {
                let ch = plane % g.c
                pad.load(xp + plane * hw)
                Self.correlate(
                    pad, wp + ch * taps, kh: g.kh, kw: g.kw, dh: g.dh, dw: g.dw, op + plane * ohw, oh: g.oh,
                    ow: g.ow, initial: bp?[ch] ?? 0)
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
            defer {
                pad.deallocate()
                turned.deallocate()
            }
            var lastChannel = -1
            for plane in r {
                let ch = plane % g.c
                if ch != lastChannel {
                    for t in 0..<taps { turned[t] = wp[ch * taps + taps - 1 - t] }
                    lastChannel = ch
                }
                pad.load(gyp + plane * ohw)
                Self.correlate(
                    pad, turned, kh: g.kh, kw: g.kw, dh: g.dh, dw: g.dw, gxp + plane * hw, oh: g.h, ow: g.w,
                    initial: 0)
            }
        }
    }

    /// Filter and bias gradients with stride 1: gw[a][b] = Σ over images and cells of gy[oy][ox] · padded
    /// x[oy + a·dh][ox + b·dw]. Per channel (channels in parallel), each image's plane is padded once and the
    /// taps are summed four at a time in vector registers over eight cells per step: one load of gy serves
    /// four taps, and the sums do not wait on each other. (One dot product per tap over the flat plane was
    /// bound by its single chain of additions.)
    func filterGradientUnitStride<T: TensorScalar>(
        _ xp: UnsafeMutablePointer<T>, _ gyp: UnsafeMutablePointer<T>, _ gwp: UnsafeMutablePointer<T>?,
        _ gbp: UnsafeMutablePointer<T>?
    ) throws {
        let g = g, hw = g.h * g.w, ohw = g.oh * g.ow, taps = g.kh * g.kw, images = images
        try Parallel.forEach(g.c, grain: 1) { r in
            let pad = PaddedPlane<T>(
                rows: g.h + 2 * g.ph, cols: g.w + 2 * g.pw, top: g.ph, left: g.pw, srcRows: g.h, srcCols: g.w)
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: taps)
            let lanes = UnsafeMutablePointer<SIMD8<T>>.allocate(capacity: taps)
            let tails = UnsafeMutablePointer<T>.allocate(capacity: taps)
            defer {
                pad.deallocate()
                offsets.deallocate()
                lanes.deallocate()
                tails.deallocate()
            }
            for a in 0..<g.kh {
                for b in 0..<g.kw { offsets[a * g.kw + b] = a * g.dh * pad.cols + b * g.dw }
            }
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
                            pad, gyp + plane * ohw, oh: g.oh, ow: g.ow, offsets, from: t, count: Swift.min(4, taps - t),
                            lanes, tails)
                        t += 4
                    }
                }
                for t in 0..<taps { gwp[ch * taps + t] += lanes[t].sum() + tails[t] }
            }
        }
    }

    /// Adds Σ gy[oy][ox] · padded[oy·cols + ox + offsets[t]] for taps t in `first ..< first + count` (count
    /// at most 4) to `lanes[t]` (eight cells per step) and, for the cells left over at each row's end, to
    /// `tails[t]`.
    @inline(__always)
    private static func accumulateTaps<T: TensorScalar>(
        _ p: PaddedPlane<T>, _ gy: UnsafePointer<T>, oh: Int, ow: Int, _ offsets: UnsafePointer<Int>, from first: Int,
        count: Int, _ lanes: UnsafeMutablePointer<SIMD8<T>>, _ tails: UnsafeMutablePointer<T>
    ) {
        // taps past `count` repeat the last one; their sums are dropped
        let o0 = offsets[first], o1 = offsets[first + Swift.min(1, count - 1)]
        let o2 = offsets[first + Swift.min(2, count - 1)], o3 = offsets[first + Swift.min(3, count - 1)]
        var s0 = SIMD8<T>(), s1 = SIMD8<T>(), s2 = SIMD8<T>(), s3 = SIMD8<T>()
        var r0: T = 0, r1: T = 0, r2: T = 0, r3: T = 0
        for oy in 0..<oh {
            let row = UnsafePointer(p.buffer + oy &* p.cols), u = gy + oy &* ow
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
