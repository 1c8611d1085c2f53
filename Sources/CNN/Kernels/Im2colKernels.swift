/// Geometry of a 2-D convolution or pooling window over NCHW input.
public struct ConvGeometry: Sendable, Equatable {
    public var c, h, w, kh, kw, sh, sw, ph, pw, dh, dw: Int
    /// Pooling's `ceil_mode`: round the output size up (the last window must still start inside).
    public var ceilMode = false
    public var oh: Int { Self.out(h, kh, sh, ph, dh, ceilMode) }
    public var ow: Int { Self.out(w, kw, sw, pw, dw, ceilMode) }
    static func out(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ ceil: Bool) -> Int {
        let span = n + 2 * p - d * (k - 1) - 1
        guard ceil else { return span / s + 1 }
        var o = (span + s - 1) / s + 1
        if (o - 1) * s >= n + p { o -= 1 }
        return o
    }
    /// Rows of the column matrix: C·kh·kw.
    public var rows: Int { c * kh * kw }
}

/// im2col / col2im over a block of images, cache-friendly (inner loop over output columns), split
/// across cores by row of the column matrix; callers that already work one image per core call `im2colRows`
/// and `col2imChannels` over the whole range on their own thread.
enum Im2colKernels {
    /// cols[(c*kh+i)*kw+j, (n*oh+y)*ow+x] = img[n, c, y*sh-ph+i*dh, x*sw-pw+j*dw] (0 outside).
    static func im2col<T: TensorScalar>(
        _ img: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>
    ) throws {
        try Parallel.forEach(g.rows, grain: Swift.max(1, (1 << 15) / Swift.max(nb * g.oh * g.ow, 1))) { r in
            im2colRows(img, images: nb, g, cols, rows: r)
        }
    }

    /// Rows `range` of the column matrix.
    static func im2colRows<T: TensorScalar>(
        _ img: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>,
        rows range: Range<Int>
    ) {
        let oh = g.oh, ow = g.ow, L = oh * ow, ncols = nb * L
        let imgSize = g.c * g.h * g.w
        if g.flatRows {
            im2colFlat(img, images: nb, g, cols, rows: range)
            return
        }
        do {
            for r in range {
                let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
                let dst = cols + r * ncols
                let x0 = -g.pw + j * g.dw
                // output columns whose input column is inside the image: [xlo, xhi)
                let (xlo, xhi) = validRange(x0, step: g.sw, count: ow, limit: g.w)
                // rows shorter than this are copied in vector registers: a memmove or memset call for a few
                // values (small maps, ResNet's and VGG's later stages) cost more than the copy
                let short = ow < 64
                for n in 0..<nb {
                    let src = img + n * imgSize + c * g.h * g.w
                    for y in 0..<oh {
                        let iy = y * g.sh - g.ph + i * g.dh
                        let row = dst + n * L + y * ow
                        if iy < 0 || iy >= g.h || xlo >= xhi {
                            zero(row, 0..<ow, short: short)
                            continue
                        }
                        let srow = src + iy * g.w
                        zero(row, 0..<xlo, short: short)
                        if g.sw == 1 {
                            copy(row + xlo, srow + x0 + xlo, xhi - xlo, short: short)
                        } else {
                            var ix = x0 + xlo * g.sw
                            for x in xlo..<xhi {
                                row[x] = srow[ix]
                                ix += g.sw
                            }
                        }
                        zero(row, xhi..<ow, short: short)
                    }
                }
            }
        }
    }

    /// im2col for a `flatRows` geometry: each tap of each image plane is one copy, its wrapped cells zeroed
    /// after (a value or two per row), where the general path copies and pads row by row.
    private static func im2colFlat<T: TensorScalar>(
        _ img: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>,
        rows range: Range<Int>
    ) {
        let L = g.oh * g.ow, ncols = nb * L, plane = g.h * g.w, imgSize = g.c * plane
        for r in range {
            let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
            let t = g.flatTap(i, j)
            for n in 0..<nb {
                let dst = cols + r * ncols + n * L
                let src = img + n * imgSize + c * plane + t.shift
                zero(dst, 0..<t.range.lowerBound, short: false)
                copy(dst + t.range.lowerBound, src + t.range.lowerBound, t.range.count, short: t.range.count < 64)
                zero(dst, t.range.upperBound..<L, short: false)
                g.forEachWrapped(t.rows, t.cols) { o in dst[o] = 0 }
            }
        }
    }

    /// Zeroes `row[range]`: in vector registers when the row is short, else with memset.
    @inline(__always)
    private static func zero<T: TensorScalar>(_ row: UnsafeMutablePointer<T>, _ range: Range<Int>, short: Bool) {
        if range.isEmpty { return }
        let dst = row + range.lowerBound
        guard short else { return dst.update(repeating: 0, count: range.count) }
        var i = 0
        while i + 8 <= range.count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: SIMD8<T>(), as: SIMD8<T>.self)
            i += 8
        }
        while i < range.count {
            dst[i] = 0
            i += 1
        }
    }

    /// Copies `count` values: in vector registers when the row is short, else with memmove.
    @inline(__always)
    private static func copy<T: TensorScalar>(
        _ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ count: Int, short: Bool
    ) {
        guard short else { return dst.update(from: src, count: count) }
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<T>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<T>.self)
            i += 8
        }
        while i < count {
            dst[i] = src[i]
            i += 1
        }
    }

    /// The adjoint of im2col: img[n, c, ...] += cols[...]. Split by channel so threads never collide.
    static func col2im<T: TensorScalar>(
        _ cols: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ img: UnsafeMutablePointer<T>
    ) throws {
        try Parallel.forEach(g.c, grain: 1) { r in col2imChannels(cols, images: nb, g, img, channels: r) }
    }

    /// Channels `range` of the image gradient.
    static func col2imChannels<T: TensorScalar>(
        _ cols: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ img: UnsafeMutablePointer<T>,
        channels range: Range<Int>
    ) {
        let oh = g.oh, ow = g.ow, L = oh * ow, ncols = nb * L
        let imgSize = g.c * g.h * g.w
        if g.flatRows {
            col2imFlat(cols, images: nb, g, img, channels: range)
            return
        }
        do {
            for c in range {
                for i in 0..<g.kh {
                    for j in 0..<g.kw {
                        let r = (c * g.kh + i) * g.kw + j
                        let src = cols + r * ncols
                        let x0 = -g.pw + j * g.dw
                        let (xlo, xhi) = validRange(x0, step: g.sw, count: ow, limit: g.w)
                        if xlo >= xhi { continue }
                        for n in 0..<nb {
                            let dst = img + n * imgSize + c * g.h * g.w
                            for y in 0..<oh {
                                let iy = y * g.sh - g.ph + i * g.dh
                                if iy < 0 || iy >= g.h { continue }
                                let drow = dst + iy * g.w + x0
                                let srow = src + n * L + y * ow
                                if g.sw == 1 {
                                    for x in xlo..<xhi { drow[x] += srow[x] }
                                } else {
                                    for x in xlo..<xhi { drow[x * g.sw] += srow[x] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// col2im for a `flatRows` geometry: each tap of each image plane is one flat loop of additions; the
    /// image values under the wrapped cells are saved before and put back after, so the order of additions
    /// (and every bit of the result) is the general path's.
    private static func col2imFlat<T: TensorScalar>(
        _ cols: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ img: UnsafeMutablePointer<T>,
        channels range: Range<Int>
    ) {
        let L = g.oh * g.ow, ncols = nb * L, plane = g.h * g.w, imgSize = g.c * plane
        withUnsafeTemporaryAllocation(of: T.self, capacity: Swift.max(1, g.oh * g.w)) { saved in
            guard let saved = saved.baseAddress else { return }
            for c in range {
                for i in 0..<g.kh {
                    for j in 0..<g.kw {
                        let t = g.flatTap(i, j)
                        let src = cols + ((c * g.kh + i) * g.kw + j) * ncols
                        for n in 0..<nb {
                            let dst = img + n * imgSize + c * plane + t.shift
                            let from = src + n * L
                            var k = 0
                            g.forEachWrapped(t.rows, t.cols) { o in
                                saved[k] = dst[o]
                                k += 1
                            }
                            for o in t.range { dst[o] += from[o] }
                            k = 0
                            g.forEachWrapped(t.rows, t.cols) { o in
                                dst[o] = saved[k]
                                k += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// The output columns x in 0..<count with 0 <= x0 + x·step < limit, as a half-open range.
    @inline(__always)
    static func validRange(_ x0: Int, step: Int, count: Int, limit: Int) -> (Int, Int) {
        // smallest x with x0 + x·step >= 0, and one past the largest with x0 + x·step <= limit - 1
        let lo = x0 >= 0 ? 0 : (-x0 + step - 1) / step
        let last = limit - 1 - x0
        let hi = last < 0 ? 0 : Swift.min(count, last / step + 1)
        return (Swift.min(lo, count), Swift.max(hi, Swift.min(lo, count)))
    }
}
