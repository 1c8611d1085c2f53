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

/// im2col / col2im over a block of images, cache-friendly (inner loop over output
/// columns) and split across cores by row of the column matrix.
enum Im2colKernels {
    /// cols[(c*kh+i)*kw+j, (n*oh+y)*ow+x] = img[n, c, y*sh-ph+i*dh, x*sw-pw+j*dw] (0 outside).
    static func im2col<T: TensorScalar>(_ img: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ cols: UnsafeMutablePointer<T>) {
        let oh = g.oh, ow = g.ow, L = oh * ow, ncols = nb * L
        let imgSize = g.c * g.h * g.w
        Parallel.forEach(g.rows, minChunk: 4) { range in
            for r in range {
                let c = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
                let dst = cols + r * ncols
                for n in 0..<nb {
                    let src = img + n * imgSize + c * g.h * g.w
                    for y in 0..<oh {
                        let iy = y * g.sh - g.ph + i * g.dh
                        let row = dst + n * L + y * ow
                        if iy < 0 || iy >= g.h { row.update(repeating: 0, count: ow); continue }
                        let srow = src + iy * g.w
                        let x0 = -g.pw + j * g.dw
                        if g.sw == 1 && x0 >= 0 && x0 + ow <= g.w {
                            row.update(from: srow + x0, count: ow)
                        } else {
                            var ix = x0
                            for x in 0..<ow {
                                row[x] = (ix >= 0 && ix < g.w) ? srow[ix] : 0
                                ix += g.sw
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of im2col: img[n, c, ...] += cols[...]. Split by channel so threads never collide.
    static func col2im<T: TensorScalar>(_ cols: UnsafePointer<T>, images nb: Int, _ g: ConvGeometry, _ img: UnsafeMutablePointer<T>) {
        let oh = g.oh, ow = g.ow, L = oh * ow, ncols = nb * L
        let imgSize = g.c * g.h * g.w
        Parallel.forEach(g.c) { range in
            for c in range {
                for i in 0..<g.kh { for j in 0..<g.kw {
                    let r = (c * g.kh + i) * g.kw + j
                    let src = cols + r * ncols
                    for n in 0..<nb {
                        let dst = img + n * imgSize + c * g.h * g.w
                        for y in 0..<oh {
                            let iy = y * g.sh - g.ph + i * g.dh
                            if iy < 0 || iy >= g.h { continue }
                            let drow = dst + iy * g.w
                            let srow = src + n * L + y * ow
                            var ix = -g.pw + j * g.dw
                            for x in 0..<ow {
                                if ix >= 0 && ix < g.w { drow[ix] += srow[x] }
                                ix += g.sw
                            }
                        }
                    }
                } }
            }
        }
    }
}
