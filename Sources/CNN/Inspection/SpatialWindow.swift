/// How one layer's output cells read its input: output row `i` depends on input rows
/// `i·stride − padding … i·stride − padding + kernel − 1` (and the same for columns), those that exist.
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

/// A layer whose receptive field follows from its hyperparameters: convolutions and pooling, the layers that
/// work cell by cell (a 1×1 window), and those whose every output reads all of the input (`Linear`). The
/// receptive fields of other layers are measured (`FieldGraph`).
public protocol DeclaresSpatialWindow: Layer {
    /// The window over an input of `shape`; nil when every output cell reads every input cell.
    func spatialWindow(input shape: [Int]) -> SpatialWindow?
    /// The input channels each output channel reads.
    var channelMap: ChannelMap { get }
}

extension DeclaresSpatialWindow {
    public var channelMap: ChannelMap { .offset(0) }
}

extension SpatialWindow {
    /// What a cell-by-cell layer reads: the same cell.
    public static let identity = SpatialWindow(kernel: IntPair(1), stride: IntPair(1), padding: IntPair(0))

    /// For each of `outputs` rows, the rows of an input of `inputs` rows it reads (nil: none, only padding).
    public func rows(outputs: Int, inputs: Int) -> [ClosedRange<Int>?] {
        Self.spans(outputs, inputs, kernel.h, stride.h, padding.h)
    }

    /// For each of `outputs` columns, the columns of an input of `inputs` columns it reads.
    public func cols(outputs: Int, inputs: Int) -> [ClosedRange<Int>?] {
        Self.spans(outputs, inputs, kernel.w, stride.w, padding.w)
    }

    private static func spans(_ n: Int, _ size: Int, _ k: Int, _ s: Int, _ p: Int) -> [ClosedRange<Int>?] {
        (0..<n).map { i in
            let a = Swift.max(0, i * s - p), b = Swift.min(size - 1, i * s - p + k - 1)
            return a <= b ? a...b : nil
        }
    }
}

extension Conv2d: DeclaresSpatialWindow {
    /// A dilated filter spans `dilation·(kernel − 1) + 1` cells (those it skips are read by no weight, but
    /// the field is the span, as the lecture draws it).
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? {
        SpatialWindow(
            kernel: IntPair(dilation.h * (kernel.h - 1) + 1, dilation.w * (kernel.w - 1) + 1), stride: stride,
            padding: padding)
    }
    public var channelMap: ChannelMap { groups == 1 ? .all : .groups(groups) }
}
extension MaxPool2d: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? {
        SpatialWindow(kernel: kernel, stride: stride, padding: padding)
    }
}
extension AvgPool2d: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? {
        SpatialWindow(kernel: kernel, stride: stride, padding: padding)
    }
}
extension Activation: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { .identity }
}
extension BatchNorm2d: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { .identity }
}
extension Dropout: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { .identity }
}
extension PReLU: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { .identity }
}
extension LocalResponseNorm: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { .identity }
    /// PyTorch's: `size / 2` channels before, `(size − 1) / 2` after.
    public var channelMap: ChannelMap { .near(before: size / 2, after: (size - 1) / 2) }
}
extension Linear: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { nil }
    public var channelMap: ChannelMap { .all }
}
extension Maxout: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { nil }
    public var channelMap: ChannelMap { .all }
}
extension GlobalAvgPool: DeclaresSpatialWindow {
    public func spatialWindow(input shape: [Int]) -> SpatialWindow? { nil }
}
