/// How one convolution runs, forward and backward, by im2col + GEMM.
///
/// With at least two images per core and maps of at least 16×16 outputs, each core takes whole images: it lays one image out as columns in
/// its own workspace (small enough to stay in cache) and multiplies on its own thread, writing the output
/// image in place — no batch-sized column matrix, no reordering copy, no second level of threading.
/// Smaller batches (a single image in a notebook) go in blocks of images with the GEMM itself split across
/// cores. A 1×1 stride-1 unpadded convolution skips im2col: the image is its own column matrix.
struct ConvPlan {
    let g: ConvGeometry
    let images: Int
    let outChannels: Int
    let groups: Int

    /// Whole images per core (decided once, so forward and backward take the same path).
    let perImage: Bool

    init(_ g: ConvGeometry, images: Int, outChannels: Int, groups: Int) {
        self.g = g; self.images = images; self.outChannels = outChannels; self.groups = groups
        perImage = images >= 2 * Parallel.cores && g.oh * g.ow >= Self.minPerImageColumns
    }

    /// Elements per im2col block on the batched path: bounds workspace memory while keeping GEMMs large.
    static let blockElements = 1 << 24

    var L: Int { g.oh * g.ow }
    var Kg: Int { outChannels / groups }
    var CgKK: Int { g.rows / groups }
    var imageSize: Int { g.c * g.h * g.w }
    var pointwise: Bool { g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 }
    /// Output positions per image below which the batched path is used: each image's product must be large
    /// enough to pay for BLAS packing the filters again per image (small maps — 8×8 and below in a CIFAR
    /// ResNet — spent most of their time re-packing the filters). Tests lower it to reach the per-image path
    /// with small maps.
    @TaskLocal static var minPerImageColumns = 256
    var workers: Int { Swift.min(Parallel.cores, images) }

    /// One image's column matrix: laid out in `buffer`, or the image itself for a pointwise convolution.
    @inline(__always)
    private func columns<T: TensorScalar>(
        of image: UnsafeMutablePointer<T>, into buffer: UnsafeMutablePointer<T>?
    ) -> UnsafePointer<T> {
        guard let buffer else { return UnsafePointer(image) }
        Im2colKernels.im2colRows(image, images: 1, g, buffer, rows: 0..<g.rows)
        return UnsafePointer(buffer)
    }

    /// The batched path: blocks of images sized by `blockElements`, each handed a column matrix and a
    /// K-row matrix big enough for one block; the interrupt is checked between blocks.
    private func forEachBlock<T: TensorScalar>(
        _: T.Type, _ dtype: DType,
        _ body: (
            _ cols: UnsafeMutablePointer<T>, _ kRows: UnsafeMutablePointer<T>,
            _ n0: Int, _ nb: Int, _ ncols: Int
        ) throws -> Void
    ) throws {
        let nbMax = Swift.max(1, Swift.min(images, Self.blockElements / Swift.max(g.rows * L, 1)))
        let cols = try Tensor(shape: [g.rows * nbMax * L], dtype: dtype, zeroed: false)
        let kRows = try Tensor(shape: [outChannels * nbMax * L], dtype: dtype, zeroed: false)
        try withExtendedLifetime((cols, kRows)) {
            let cp = cols.data(T.self), kp = kRows.data(T.self)
            var n0 = 0
            while n0 < images {
                try Cancellation.check()
                let nb = Swift.min(nbMax, images - n0)
                try body(cp, kp, n0, nb, nb * L)
                n0 += nb
            }
        }
    }

    // MARK: forward

    func forward<T: TensorScalar>(_: T.Type, _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ out: Tensor) throws {
        let xp = x.data(T.self), wp = weight.data(T.self), op = out.data(T.self)
        let bp = bias?.data(T.self)
        let K = outChannels, L = L, Kg = Kg, CgKK = CgKK
        if perImage {
            let ws = pointwise ? nil : try Tensor(shape: [workers * g.rows * L], dtype: x.dtype, zeroed: false)
            let wsp = ws?.data(T.self)
            try Parallel.forEach(images, grain: 1, workers: workers) { worker, range in
                let colsBuffer = wsp.map { $0 + worker * g.rows * L }
                for n in range {
                    let yn = op + n * K * L
                    let cols = columns(of: xp + n * imageSize, into: colsBuffer)
                    // the output starts as the bias and the product is added to it (beta 1): BLAS's own pass
                    // zeroing the output for beta 0 cost as much as this one, and the bias needed another
                    for k in 0..<K { (yn + k * L).update(repeating: bp?[k] ?? 0, count: L) }
                    for gi in 0..<groups {
                        T.blasGemm(
                            transA: false, transB: false, m: Kg, n: L, k: CgKK, alpha: 1,
                            a: wp + gi * Kg * CgKK, lda: CgKK, b: cols + gi * CgKK * L, ldb: L,
                            beta: 1, c: yn + gi * Kg * L, ldc: L)
                    }
                }
            }
            return
        }
        try forEachBlock(T.self, x.dtype) { cp, tp, n0, nb, ncols in
            try Im2colKernels.im2col(xp + n0 * imageSize, images: nb, g, cp)
            for gi in 0..<groups {
                try T.gemm(
                    transA: false, transB: false, m: Kg, n: ncols, k: CgKK, alpha: 1,
                    a: wp + gi * Kg * CgKK, lda: CgKK, b: cp + gi * CgKK * ncols, ldb: ncols,
                    beta: 0, c: tp + gi * Kg * ncols, ldc: ncols)
            }
            for n in 0..<nb {
                for k in 0..<K {
                    let dst = op + ((n0 + n) * K + k) * L, src = tp + k * ncols + n * L
                    if let bp {
                        let b = bp[k]; for i in 0..<L { dst[i] = src[i] + b }
                    } else {
                        dst.update(from: src, count: L)
                    }
                }
            }
        }
    }

    // MARK: backward

    /// Gradients for input, weight and bias (each written only when its tensor is given; all zeroed).
    func backward<T: TensorScalar>(
        _: T.Type, _ x: Tensor, _ weight: Tensor, _ gy: Tensor,
        _ gx: Tensor?, _ gw: Tensor?, _ gb: Tensor?
    ) throws {
        let xp = x.data(T.self), wp = weight.data(T.self), gyp = gy.data(T.self)
        let K = outChannels, L = L, Kg = Kg, CgKK = CgKK
        if perImage {
            let workers = workers, wcount = weight.count
            let ws = pointwise ? nil : try Tensor(shape: [workers * g.rows * L], dtype: x.dtype, zeroed: false)
            // worker 0 accumulates into gw / gb; the others into their own zeroed buffers, summed after
            let extraW =
                gw != nil && workers > 1
                ? try Tensor(shape: [(workers - 1) * wcount], dtype: x.dtype, zeroed: true) : nil
            let extraB =
                gb != nil && workers > 1 ? try Tensor(shape: [(workers - 1) * K], dtype: x.dtype, zeroed: true) : nil
            let wsp = ws?.data(T.self)
            let gxp = gx?.data(T.self), gwp = gw?.data(T.self), gbp = gb?.data(T.self)
            let ewp = extraW?.data(T.self), ebp = extraB?.data(T.self)
            try Parallel.forEach(images, grain: 1, workers: workers) { worker, range in
                let colsBuffer = wsp.map { $0 + worker * g.rows * L }
                let gwAcc = worker == 0 ? gwp : ewp.map { $0 + (worker - 1) * wcount }
                let gbAcc = worker == 0 ? gbp : ebp.map { $0 + (worker - 1) * K }
                for n in range {
                    let xn = xp + n * imageSize, gyn = UnsafePointer(gyp + n * K * L)
                    if let gbAcc {
                        for k in 0..<K {
                            gbAcc[k] += ReduceKernels.laneSum(gyn + k * L, L)
                        }
                    }
                    if let gwAcc {
                        let cols = columns(of: xn, into: colsBuffer)
                        for gi in 0..<groups {
                            T.blasGemm(
                                transA: false, transB: true, m: Kg, n: CgKK, k: L, alpha: 1,
                                a: gyn + gi * Kg * L, lda: L, b: cols + gi * CgKK * L, ldb: L,
                                beta: 1, c: gwAcc + gi * Kg * CgKK, ldc: CgKK)
                        }
                    }
                    if let gxp {
                        let gxn = gxp + n * imageSize
                        let target = colsBuffer ?? gxn  // pointwise: straight into the input gradient
                        for gi in 0..<groups {
                            T.blasGemm(
                                transA: true, transB: false, m: CgKK, n: L, k: Kg, alpha: 1,
                                a: wp + gi * Kg * CgKK, lda: CgKK, b: gyn + gi * Kg * L, ldb: L,
                                beta: 0, c: target + gi * CgKK * L, ldc: L)
                        }
                        if let colsBuffer {
                            Im2colKernels.col2imChannels(colsBuffer, images: 1, g, gxn, channels: 0..<g.c)
                        }
                    }
                }
            }
            if let gwp, let ewp {
                for w in 0..<(workers - 1) { let src = ewp + w * wcount; for i in 0..<wcount { gwp[i] += src[i] } }
            }
            if let gbp, let ebp {
                for w in 0..<(workers - 1) { let src = ebp + w * K; for i in 0..<K { gbp[i] += src[i] } }
            }
            return
        }
        try forEachBlock(T.self, x.dtype) { cp, gtp, n0, nb, ncols in
            for n in 0..<nb {
                for k in 0..<K {
                    (gtp + k * ncols + n * L).update(from: gyp + ((n0 + n) * K + k) * L, count: L)
                }
            }
            if let gb {
                let bp = gb.data(T.self)
                for k in 0..<K { bp[k] += ReduceKernels.laneSum(gtp + k * ncols, ncols) }
            }
            if let gw {
                try Im2colKernels.im2col(xp + n0 * imageSize, images: nb, g, cp)
                let gwp = gw.data(T.self)
                for gi in 0..<groups {
                    try T.gemm(
                        transA: false, transB: true, m: Kg, n: CgKK, k: ncols, alpha: 1,
                        a: gtp + gi * Kg * ncols, lda: ncols, b: cp + gi * CgKK * ncols, ldb: ncols,
                        beta: 1, c: gwp + gi * Kg * CgKK, ldc: CgKK)
                }
            }
            if let gx {
                for gi in 0..<groups {
                    try T.gemm(
                        transA: true, transB: false, m: CgKK, n: ncols, k: Kg, alpha: 1,
                        a: wp + gi * Kg * CgKK, lda: CgKK, b: gtp + gi * Kg * ncols, ldb: ncols,
                        beta: 0, c: cp + gi * CgKK * ncols, ldc: ncols)
                }
                try Im2colKernels.col2im(cp, images: nb, g, gx.data(T.self) + n0 * imageSize)
            }
        }
    }
}
