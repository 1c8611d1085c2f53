/// How one layer's output cells read its input: output row `i` depends on input rows
/// `i·stride − padding … i·stride − padding + kernel − 1` (and the same for columns). What the activation
/// explorer composes, layer by layer, to highlight a cell's receptive field.
public struct SpatialWindow: Sendable, Equatable, CustomStringConvertible {
    public var kernel: IntPair, stride: IntPair, padding: IntPair

    public init(kernel: IntPair, stride: IntPair, padding: IntPair) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    public var description: String {
        "kernel \(kernel.h)×\(kernel.w), stride \(stride.h)×\(stride.w), padding \(padding.h)×\(padding.w)"
    }
}

/// A layer whose window follows from its hyperparameters: convolutions and pooling, and the layers that work
/// cell by cell (a 1×1 window).
public protocol DeclaresSpatialWindow: Layer {
    var spatialWindow: SpatialWindow { get }
}

extension SpatialWindow {
    /// What a cell-by-cell layer reads: the same cell.
    public static let identity = SpatialWindow(kernel: IntPair(1), stride: IntPair(1), padding: IntPair(0))
}

extension Conv2d: DeclaresSpatialWindow {
    /// A dilated filter spans `dilation·(kernel − 1) + 1` cells.
    public var spatialWindow: SpatialWindow {
        SpatialWindow(
            kernel: IntPair(dilation.h * (kernel.h - 1) + 1, dilation.w * (kernel.w - 1) + 1), stride: stride,
            padding: padding)
    }
}
extension MaxPool2d: DeclaresSpatialWindow {
    public var spatialWindow: SpatialWindow { SpatialWindow(kernel: kernel, stride: stride, padding: padding) }
}
extension AvgPool2d: DeclaresSpatialWindow {
    public var spatialWindow: SpatialWindow { SpatialWindow(kernel: kernel, stride: stride, padding: padding) }
}
extension Activation: DeclaresSpatialWindow { public var spatialWindow: SpatialWindow { .identity } }
extension BatchNorm2d: DeclaresSpatialWindow { public var spatialWindow: SpatialWindow { .identity } }
extension Dropout: DeclaresSpatialWindow { public var spatialWindow: SpatialWindow { .identity } }
extension PReLU: DeclaresSpatialWindow { public var spatialWindow: SpatialWindow { .identity } }
extension LocalResponseNorm: DeclaresSpatialWindow { public var spatialWindow: SpatialWindow { .identity } }

extension Layer {
    /// The layer's window over an input of `inputShape` (N×C×H×W): declared by convolutions, pooling and
    /// cell-by-cell layers, measured for every other layer (a residual block, a user layer): the layer runs
    /// (evaluation mode, no trace, a random source of its own) on random batch-1 inputs, and the gradient of
    /// one output cell, summed over channels and over three draws, marks the input cells it reads. Two
    /// neighbouring cells give the stride. nil when input or output is not N×C×H×W or the layer cannot run on
    /// such an input; a cell that reads the whole input gives a window as large as the input.
    public func measuredWindow(inputShape: [Int]) -> SpatialWindow? {
        guard inputShape.count == 4, inputShape.allSatisfy({ $0 > 0 }) else { return nil }
        if let declared = self as? any DeclaresSpatialWindow { return declared.spatialWindow }
        let savedOutput = output
        let modes = layerTree.layers.map { ($0, $0.isTraining) }
        eval()
        defer {
            for (l, m) in modes { l.isTraining = m }
            output = savedOutput
        }
        // a margin keeps the centre cell's field clear of the edges (a layer that needs its input's exact
        // size is measured on that size)
        let (h, w) = (inputShape[2], inputShape[3])
        let wide = [1, inputShape[1], h + 2 * Swift.min(h, 32), w + 2 * Swift.min(w, 32)]
        return GlobalRandom.$current.withValue(RandomSource(seed: 7)) {
            for shape in [wide, [1, inputShape[1], h, w]] {
                if let window = try? withGrad({ try probe(shape) }) { return window }
            }
            return nil
        }
    }

    private func probe(_ shape: [Int]) throws -> SpatialWindow? {
        // one draw can hide part of a field (a max picks one cell of its window); three rarely do
        var centre: (Range<Int>, Range<Int>)? = nil
        var next: (Range<Int>, Range<Int>)? = nil
        var outShape: [Int] = []
        for _ in 0..<3 {
            let x = try Tensor.randn(shape, dtype: .float64)
            x.requiresGrad = true
            let y = try self(x)
            guard y.ndim == 4, y.shape[2] > 0, y.shape[3] > 0 else { return nil }
            outShape = y.shape
            let (oh, ow) = (y.shape[2], y.shape[3])
            let cy = (oh - 1) / 2, cx = (ow - 1) / 2
            centre = union(centre, try extent(of: y, x, cy, cx))
            if cy + 1 < oh || cx + 1 < ow {
                next = union(next, try extent(of: y, x, Swift.min(cy + 1, oh - 1), Swift.min(cx + 1, ow - 1)))
            }
        }
        guard let (r0, c0) = centre else { return nil }
        let (oh, ow) = (outShape[2], outShape[3])
        let cy = (oh - 1) / 2, cx = (ow - 1) / 2
        var stride = IntPair(Swift.max(1, shape[2] / oh), Swift.max(1, shape[3] / ow))
        if let (r1, c1) = next {
            if cy + 1 < oh { stride.h = Swift.max(1, r1.lowerBound - r0.lowerBound) }
            if cx + 1 < ow { stride.w = Swift.max(1, c1.lowerBound - c0.lowerBound) }
        }
        return SpatialWindow(
            kernel: IntPair(r0.count, c0.count), stride: stride,
            padding: IntPair(cy * stride.h - r0.lowerBound, cx * stride.w - c0.lowerBound))
    }

    private func union(
        _ a: (Range<Int>, Range<Int>)?, _ b: (Range<Int>, Range<Int>)?
    ) -> (Range<Int>, Range<Int>)? {
        guard let a else { return b }
        guard let b else { return a }
        return (
            Swift.min(a.0.lowerBound, b.0.lowerBound)..<Swift.max(a.0.upperBound, b.0.upperBound),
            Swift.min(a.1.lowerBound, b.1.lowerBound)..<Swift.max(a.1.upperBound, b.1.upperBound)
        )
    }

    /// The rows and columns of `x` that output cell (`i`, `j`) of `y` depends on, over all channels.
    private func extent(of y: Tensor, _ x: Tensor, _ i: Int, _ j: Int) throws -> (Range<Int>, Range<Int>)? {
        let (c, oh, ow) = (y.shape[1], y.shape[2], y.shape[3])
        var seed = [Double](repeating: 0, count: y.count)
        for k in 0..<c { seed[(k * oh + i) * ow + j] = 1 }
        x.grad = nil
        try y.backward(gradient: try Tensor(seed, shape: y.shape, dtype: y.dtype), retainGraph: true)
        guard let g = x.grad else { return nil }
        let (ch, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        let v = g.values
        var rows = (h, -1), cols = (w, -1)
        for k in 0..<ch {
            for r in 0..<h {
                for q in 0..<w where v[(k * h + r) * w + q] != 0 {
                    rows = (Swift.min(rows.0, r), Swift.max(rows.1, r))
                    cols = (Swift.min(cols.0, q), Swift.max(cols.1, q))
                }
            }
        }
        guard rows.1 >= 0 else { return nil }
        return (rows.0..<(rows.1 + 1), cols.0..<(cols.1 + 1))
    }
}
