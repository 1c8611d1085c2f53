/// What a layer's own code (not its sublayers) makes from its input and its sublayer calls' outputs: the
/// input it passes to each sublayer call and the output it returns, each as parts. Declared by the built-in
/// blocks (`DeclaresDataFlow`), measured for every other layer (`FieldProbe`).
public struct DataFlow: Sendable {
    public enum Source: Sendable, Hashable {
        case input
        /// The output of the layer's `i`th sublayer call.
        case call(Int)
    }

    public enum Cells: Sendable, Equatable {
        /// Cell (i, j) reads cell (i, j): elementwise code.
        case same
        /// Every cell reads every cell.
        case whole
        /// Target row `i` reads source rows `rows[i]` (nil: none), column `j` columns `cols[j]`.
        case tables(rows: [ClosedRange<Int>?], cols: [ClosedRange<Int>?])
    }

    /// Target channels `channels` (nil: all) read `cells` of channels `map` of `source`.
    public struct Part: Sendable, Equatable {
        public var source: Source
        public var channels: Range<Int>?
        public var map: ChannelMap
        public var cells: Cells

        public init(_ source: Source, channels: Range<Int>? = nil, map: ChannelMap = .offset(0), cells: Cells = .same) {
            self.source = source
            self.channels = channels
            self.map = map
            self.cells = cells
        }
    }

    /// For each sublayer call, what its input is made of; nil when it is passed as it is (the layer's input or
    /// a sublayer's output).
    public var inputs: [[Part]?]
    /// What the output is made of; nil when it is returned as it is.
    public var output: [Part]?

    public init(inputs: [[Part]?], output: [Part]?) {
        self.inputs = inputs
        self.output = output
    }

    /// The parts of a channel concatenation of `sources` with `counts` channels each.
    public static func concatenation(_ sources: [Source], counts: [Int]) -> [Part] {
        var parts: [Part] = []
        var at = 0
        for (s, n) in zip(sources, counts) {
            parts.append(Part(s, channels: at..<(at + n), map: .offset(-at)))
            at += n
        }
        return parts
    }
}

/// One sublayer call, as a block's data flow sees it.
public struct SublayerCall {
    public let layer: any Layer
    public let inputShape: [Int]?
    public let outputShape: [Int]?
}

/// A built-in block whose own code is known: it says how its sublayer calls' inputs and its output are made,
/// given the calls it made (nil when they are not the ones it makes, as after a sublayer was replaced by a
/// layer that calls differently).
public protocol DeclaresDataFlow: Layer {
    func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow?
}

extension AdaptiveAvgPool2d: DeclaresDataFlow {
    /// PyTorch's windows: output row i reads rows ⌊i·H/oh⌋ ..< ⌈(i+1)·H/oh⌉, channel by channel.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        guard calls.isEmpty, input.count == 4, size.h > 0, size.w > 0 else { return nil }
        func spans(_ n: Int, _ size: Int) -> [ClosedRange<Int>?] {
            (0..<n).map { i in (i * size / n)...(((i + 1) * size + n - 1) / n - 1) }
        }
        return DataFlow(
            inputs: [],
            output: [
                DataFlow.Part(.input, cells: .tables(rows: spans(size.h, input[2]), cols: spans(size.w, input[3])))
            ])
    }
}

extension Flatten: DeclaresDataFlow {
    /// Feature f of an N×C×H×W input's flattening is one cell of one channel.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        guard calls.isEmpty else { return nil }
        let map: ChannelMap = input.count == 4 ? .flattened(height: input[2], width: input[3]) : .all
        return DataFlow(inputs: [], output: [DataFlow.Part(.input, map: map, cells: .whole)])
    }
}

extension Residual: DeclaresDataFlow {
    /// body(x) + shortcut(x) (or + x), cell by cell.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        guard calls.count == (shortcut == nil ? 1 : 2) else { return nil }
        return DataFlow(
            inputs: calls.map { _ in nil },
            output: [DataFlow.Part(.call(0)), DataFlow.Part(shortcut == nil ? .input : .call(1))])
    }
}

extension Concat: DeclaresDataFlow {
    /// The branches' outputs side by side along the channels.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        let counts = calls.compactMap { $0.outputShape.flatMap { $0.count == 4 ? $0[1] : nil } }
        guard calls.count == branches.count, counts.count == calls.count else { return nil }
        return DataFlow(
            inputs: calls.map { _ in nil },
            output: DataFlow.concatenation(calls.indices.map { .call($0) }, counts: counts))
    }
}

extension SqueezeExcite: DeclaresDataFlow {
    /// x · σ(fc2(relu(fc1(mean of x)))): each channel scaled by a number read from all of x.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        guard calls.count == 2 else { return nil }
        return DataFlow(
            inputs: [[DataFlow.Part(.input, cells: .whole)], [DataFlow.Part(.call(0))]],
            output: [DataFlow.Part(.input), DataFlow.Part(.call(1), cells: .whole)])
    }
}

extension ResidualBlock: DeclaresDataFlow {
    /// conv, norm, ReLU, …, the optional SE module, then the sum with the (downsampled) input, and ReLU.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        let expected = 2 * convs.count + (se == nil ? 0 : 1) + (downsample == nil ? 0 : 1)
        guard calls.count == expected else { return nil }
        var inputs = [[DataFlow.Part]?](repeating: nil, count: calls.count)
        // each convolution after the first reads the ReLU of the norm before it
        for k in 1..<convs.count { inputs[2 * k] = [DataFlow.Part(.call(2 * k - 1))] }
        let body = 2 * convs.count - 1 + (se == nil ? 0 : 1)
        return DataFlow(
            inputs: inputs,
            output: [DataFlow.Part(.call(body)), DataFlow.Part(downsample == nil ? .input : .call(calls.count - 1))])
    }
}

extension DenseBlock: DeclaresDataFlow {
    /// Each layer reads the input and every earlier layer's output side by side; so does the output.
    public func dataFlow(input: [Int], calls: [SublayerCall]) -> DataFlow? {
        guard calls.count == layers.count, let first = calls.first?.inputShape, first.count == 4 else { return nil }
        let counts = calls.compactMap { $0.outputShape.flatMap { $0.count == 4 ? $0[1] : nil } }
        guard counts.count == calls.count else { return nil }
        let cin = first[1]
        var inputs: [[DataFlow.Part]?] = []
        for k in calls.indices {
            inputs.append(
                DataFlow.concatenation([.input] + (0..<k).map { .call($0) }, counts: [cin] + Array(counts[0..<k])))
        }
        return DataFlow(
            inputs: inputs,
            output: DataFlow.concatenation([.input] + calls.indices.map { .call($0) }, counts: [cin] + counts))
    }
}
