/// Max pooling over one (image, channel) plane. The output is split per row into the columns whose window
/// lies wholly inside the input (no bounds tests; a select per tap, not a branch, as random data makes a
/// branch a coin toss) and the few edge windows that padding or `ceil_mode` clip. The window's first maximum
/// in row-major order wins ties; a NaN anywhere makes the result NaN (the first NaN, for the index).
///
/// The positions of the maxima, which only the backward pass needs, are written only when asked for.
struct MaxPoolKernel {
    let g: ConvGeometry
    /// The output size, read once (`ConvGeometry` computes it with a division on each access).
    let oh: Int, ow: Int

    init(g: ConvGeometry) {
        self.g = g
        oh = g.oh
        ow = g.ow
    }

    /// The output positions along one axis whose whole window lies inside the input.
    @inline(__always)
    static func inside(size n: Int, out: Int, kernel k: Int, stride s: Int, pad p: Int) -> Range<Int> {
        // window o covers o·s − p ..< o·s − p + k
        let lo = (p + s - 1) / s
        let top = n + p - k
        let hi = top < 0 ? 0 : Swift.min(out, top / s + 1)
        return Swift.min(lo, out)..<Swift.max(Swift.min(lo, out), hi)
    }

    /// Whether `v` replaces `best` as the window's maximum: larger, or the first NaN.
    @inline(__always)
    static func takes<T: TensorScalar>(_ v: T, over best: T) -> Bool {
        v > best || (v != v && best == best)
    }

    /// Pools the plane at `x` into `y` (oh·ow values), and into `indices` (offsets in the plane) when given.
    @inline(__always)
    func plane<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>?
    ) {
        let rows = Self.inside(size: g.h, out: oh, kernel: g.kh, stride: g.sh, pad: g.ph)
        let cols = Self.inside(size: g.w, out: ow, kernel: g.kw, stride: g.sw, pad: g.pw)
        for oy in 0..<oh {
            let row = oy * ow
            guard rows.contains(oy) else {
                edge(x, y, indices, oy, 0..<ow)
                continue
            }
            edge(x, y, indices, oy, 0..<cols.lowerBound)
            let top = (oy * g.sh - g.ph) * g.w - g.pw
            if let indices {
                interiorWithIndices(x, y + row, indices + row, top, cols)
            } else {
                interior(x, y + row, top, cols)
            }
            edge(x, y, indices, oy, cols.upperBound..<ow)
        }
    }

    /// Windows wholly inside, values only: window `ox` starts at offset `top + ox·sw` in the plane.
    @inline(__always)
    private func interior<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ top: Int, _ cols: Range<Int>
    ) {
        for ox in cols { y[ox] = windowMax(x + top + ox * g.sw) }
    }

    /// The largest value of the window whose top-left cell is `base` (NaN if any is), with selects.
    @inline(__always)
    private func windowMax<T: TensorScalar>(_ base: UnsafePointer<T>) -> T {
        var best = base[0]
        for i in 0..<g.kh {
            let r = base + i * g.w
            for j in 0..<g.kw {
                let v = r[j]
                best = v > best || v != v ? v : best
            }
        }
        return best
    }

    /// Windows wholly inside, with the maximum's offset in the plane.
    @inline(__always)
    private func interiorWithIndices<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ a: UnsafeMutablePointer<Int64>, _ top: Int,
        _ cols: Range<Int>
    ) {
        for ox in cols {
            let start = top &+ ox &* g.sw
            // the maximum first, as in `interior`; then its first position, scanning the window backwards: a
            // float select that tracks both compiles to a branch, which random data mispredicts half the time
            let best = windowMax(x + start)
            var at = start
            for i in stride(from: g.kh - 1, through: 0, by: -1) {
                let r = start &+ i &* g.w
                for j in stride(from: g.kw - 1, through: 0, by: -1) {
                    let v = x[r &+ j]
                    // equal to the maximum, or a NaN (only possible when the maximum is NaN), without branches
                    let hit = unsafeBitCast(v == best, to: UInt8.self) | unsafeBitCast(v != v, to: UInt8.self)
                    at = hit != 0 ? r &+ j : at
                }
            }
            y[ox] = best
            a[ox] = Int64(at)
        }
    }

    /// Output columns `cols` of row `oy`, whose windows padding or `ceil_mode` clip (padding counts as −∞).
    private func edge<T: TensorScalar>(
        _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>?, _ oy: Int,
        _ cols: Range<Int>
    ) {
        let y0 = oy * g.sh - g.ph
        let i0 = Swift.max(0, -y0)
        let i1 = Swift.max(i0, Swift.min(g.kh, g.h - y0))
        for ox in cols {
            let x0 = ox * g.sw - g.pw
            let j0 = Swift.max(0, -x0)
            let j1 = Swift.max(j0, Swift.min(g.kw, g.w - x0))
            var best = -T.infinity
            var at = -1
            for i in i0..<i1 {
                for j in j0..<j1 {
                    let o = (y0 + i) * g.w + x0 + j
                    let v = x[o]
                    if at < 0 || Self.takes(v, over: best) {
                        best = v
                        at = o
                    }
                }
            }
            y[oy * ow + ox] = best
            indices?[oy * ow + ox] = Int64(Swift.max(at, 0))
        }
    }
}
