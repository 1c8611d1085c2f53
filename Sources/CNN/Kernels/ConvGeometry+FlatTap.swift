/// Window taps as flat ranges. With stride 1 and output rows as long as input rows (`flatRows`: "same"
/// padding along the width), output cell o of tap (a, b) reads input cell o + shift for every valid cell, so a
/// tap's whole plane is one flat loop or copy. The loop also passes over a few cells that are not valid —
/// each row's ends, which read the neighbouring row's other end instead of padding (`forEachWrapped`) —
/// whose results the caller puts right.
extension ConvGeometry {
    /// The output positions `o` along one axis whose tap `a` reads a valid input position, as a range.
    @inline(__always)
    static func validOutputs(
        tap a: Int, size n: Int, out: Int, stride s: Int, pad p: Int, dilation d: Int
    ) -> Range<Int> {
        // input = o·s − p + a·d must be in 0..<n
        let off = a * d - p
        let lo = off >= 0 ? 0 : (-off + s - 1) / s
        let hiInput = n - 1 - off  // o·s ≤ hiInput
        let hi = hiInput < 0 ? -1 : hiInput / s
        return lo..<Swift.max(lo, Swift.min(out, hi + 1))
    }

    /// Stride 1 both ways and output rows as long as input rows: taps are flat.
    var flatRows: Bool { sh == 1 && sw == 1 && ow == w }

    /// For one tap of a `flatRows` geometry: the flat output range from the first valid cell to the last,
    /// whose cells (plus `shift`) read the tap's input, the shift, and the valid output rows and columns.
    @inline(__always)
    func flatTap(_ a: Int, _ b: Int) -> (range: Range<Int>, shift: Int, cols: Range<Int>, rows: Range<Int>) {
        let rows = Self.validOutputs(tap: a, size: h, out: oh, stride: 1, pad: ph, dilation: dh)
        let cols = Self.validOutputs(tap: b, size: w, out: ow, stride: 1, pad: pw, dilation: dw)
        guard !rows.isEmpty, !cols.isEmpty else { return (0..<0, 0, cols, rows) }
        let start = rows.lowerBound * w + cols.lowerBound
        let end = (rows.upperBound - 1) * w + cols.upperBound
        return (start..<end, (a * dh - ph) * w + b * dw - pw, cols, rows)
    }

    /// Calls `body` with each flat position inside a tap's range that is not a valid cell of the tap: the
    /// columns right of `cols` on all rows but the last, and left of `cols` on all rows but the first.
    @inline(__always)
    func forEachWrapped(_ rows: Range<Int>, _ cols: Range<Int>, _ body: (Int) -> Void) {
        guard cols.count < w, rows.count > 1 else { return }
        for oy in rows.lowerBound..<(rows.upperBound - 1) {
            for ox in cols.upperBound..<w { body(oy * w + ox) }
            for ox in 0..<cols.lowerBound { body((oy + 1) * w + ox) }
        }
    }
}
