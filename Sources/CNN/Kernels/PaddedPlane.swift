/// A zero-bordered copy of one plane, for direct convolution kernels: `rows`×`cols`, a plane of
/// `srcRows`×`srcCols` placed with its row r at buffer row r + `top` and column c at c + `left` (rows and
/// columns falling outside are dropped; the border is zeroed once and only `clear` writes it again).
///
/// Each buffer row keeps its columns split by their remainder modulo `phases` (the convolution's column
/// stride): column c sits at (c mod phases)·`phaseCols` + c / phases. A window stepping `phases` columns then
/// reads each tap from consecutive addresses, so eight windows load as one vector. With one phase the row is
/// plain.
struct PaddedPlane<T: TensorScalar> {
    let rows: Int, cols: Int, top: Int, left: Int, srcRows: Int, srcCols: Int
    let phases: Int, phaseCols: Int, rowStride: Int
    let buffer: UnsafeMutablePointer<T>
    /// Per phase: the first source column landing in it, that column's slot in a buffer row, and how many
    /// source columns (every `phases`-th) land there — worked out once, so copies divide nothing per row.
    private let runs: [(column: Int, slot: Int, count: Int)]

    init(rows: Int, cols: Int, top: Int, left: Int, srcRows: Int, srcCols: Int, phases: Int = 1) {
        self.rows = rows
        self.cols = cols
        self.top = top
        self.left = left
        self.srcRows = srcRows
        self.srcCols = srcCols
        self.phases = phases
        phaseCols = (cols + phases - 1) / phases
        rowStride = phaseCols * phases
        buffer = .allocate(capacity: Swift.max(1, rows * rowStride))
        buffer.initialize(repeating: 0, count: rows * rowStride)
        let c0 = Swift.max(0, -left), c1 = Swift.max(c0, Swift.min(srcCols, cols - left))
        runs = (0..<phases).compactMap { [phaseCols] p in
            // the first c ≥ c0 with (c + left) mod phases = p (c + left ≥ 0 here)
            let c = c0 + (p - (c0 + left) % phases + phases) % phases
            guard c < c1 else { return nil }
            return (c, p * phaseCols + (c + left) / phases, (c1 - c + phases - 1) / phases)
        }
    }

    func deallocate() { buffer.deallocate() }

    /// Zeroes the whole buffer (for accumulating into it).
    func clear() { buffer.update(repeating: 0, count: rows * rowStride) }

    /// Where buffer column `c` of a row sits in it.
    @inline(__always) func column(_ c: Int) -> Int { (c % phases) * phaseCols + c / phases }

    /// The offset of each tap (a, b) of a kh×kw window with dilation (dh, dw) from its top-left cell, for
    /// windows `phases` columns apart: window ox of a row starting at buffer row r reads tap t at
    /// r·rowStride + offsets[t] + ox.
    func tapOffsets(kh: Int, kw: Int, dh: Int, dw: Int, into offsets: UnsafeMutablePointer<Int>) {
        for a in 0..<kh {
            for b in 0..<kw { offsets[a * kw + b] = a * dh * rowStride + column(b * dw) }
        }
    }

    /// The source rows and columns that fall inside the buffer.
    private var inside: (rows: Range<Int>, cols: Range<Int>) {
        let r0 = Swift.max(0, -top), r1 = Swift.max(r0, Swift.min(srcRows, rows - top))
        let c0 = Swift.max(0, -left), c1 = Swift.max(c0, Swift.min(srcCols, cols - left))
        return (r0..<r1, c0..<c1)
    }

    /// Copies one source plane in (the part that falls inside the buffer).
    @inline(__always) func load(_ src: UnsafePointer<T>) {
        let (rs, cs) = inside
        for r in rs {
            let row = buffer + (r + top) * rowStride, s = src + r * srcCols
            if phases == 1 {
                (row + cs.lowerBound + left).update(from: s + cs.lowerBound, count: cs.count)
            } else {
                forEachPhase { c, slot, count in
                    for k in 0..<count { row[slot &+ k] = s[c &+ k &* phases] }
                }
            }
        }
    }

    /// Copies the part of the buffer over the source plane out to `dst` (a plane shaped as the source).
    @inline(__always) func unload(_ dst: UnsafeMutablePointer<T>) {
        let (rs, cs) = inside
        for r in rs {
            let row = buffer + (r + top) * rowStride, d = dst + r * srcCols
            if phases == 1 {
                (d + cs.lowerBound).update(from: row + cs.lowerBound + left, count: cs.count)
            } else {
                forEachPhase { c, slot, count in
                    for k in 0..<count { d[c &+ k &* phases] = row[slot &+ k] }
                }
            }
        }
    }

    /// Calls `body` with each phase's run of source columns (see `runs`).
    @inline(__always) private func forEachPhase(_ body: (Int, Int, Int) -> Void) {
        for run in runs { body(run.column, run.slot, run.count) }
    }
}
