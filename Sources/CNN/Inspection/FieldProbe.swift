/// Measures a layer's own code (a user layer's `forward` between its sublayer calls): `forward` runs once
/// more, on a random tensor of the recorded input's shape, with every sublayer call answered by a random
/// stand-in of the shape that call returned (so only the layer's own code runs, and sublayers' fields stay
/// theirs); then support gradients (`SupportGradients`) from a few cells of each made tensor say which
/// cells of the input and of the stand-ins they read. Rows and columns are fitted by a window (checked at the
/// edges) or, where none fits, measured row by row; channels are measured at the ends of each run of channels
/// that read alike (every channel where the code moves channels around by indexing). Evaluation mode, a
/// random source of its own, nothing kept.
public enum FieldProbe {
    /// Whether a probe is rerunning a layer's code on this task: a language's output goes nowhere meanwhile.
    @TaskLocal public static var isRunning = false

    static func measure(
        _ layer: any Layer, input x: Tensor, calls: [ActivationTrace.Call], needsInput: [Bool], needsOutput: Bool
    ) -> DataFlow? {
        guard x.dtype.isFloatingPoint, !x.shape.contains(0) else { return nil }
        let modes = layer.layerTree.layers.map { ($0, $0.isTraining) }
        layer.eval()
        defer { for (l, m) in modes { l.isTraining = m } }
        return try? GlobalRandom.$current.withValue(RandomSource(seed: 7)) {
            try Self.$isRunning.withValue(true) {
                try measured(layer, x, calls: calls, needsInput: needsInput, needsOutput: needsOutput)
            }
        }
    }

    private static func measured(
        _ layer: any Layer, _ x: Tensor, calls: [ActivationTrace.Call], needsInput: [Bool], needsOutput: Bool
    ) throws -> DataFlow? {
        try withSupportGradients {
            let xp = try Tensor.randn(x.shape, dtype: x.dtype)
            xp.requiresGrad = true
            let standIns = StandIns(calls)
            let y = try standIns.observing { try layer.forward(xp) }
            guard standIns.leaves.count == calls.count else { return nil }
            var inputs: [[DataFlow.Part]?] = []
            for k in calls.indices {
                guard needsInput[k], let t = standIns.inputs[k] else {
                    inputs.append(nil)
                    continue
                }
                inputs.append(try Reader(target: t, sources: [xp] + standIns.leaves[0..<k]).parts())
            }
            let output = needsOutput ? try Reader(target: y, sources: [xp] + standIns.leaves).parts() : nil
            return DataFlow(inputs: inputs, output: output)
        }
    }
}

/// Answers each sublayer call with a random leaf of the shape the recorded call returned; fails when the
/// calls differ from the recorded ones.
private final class StandIns: LayerCallObserver {
    let calls: [ActivationTrace.Call]
    var inputs: [Tensor?] = []
    var leaves: [Tensor] = []

    init(_ calls: [ActivationTrace.Call]) { self.calls = calls }

    func willCall(_ layer: any Layer, input: Tensor?) throws -> Tensor? {
        let k = leaves.count
        guard k < calls.count, calls[k].layer === layer, let out = calls[k].output else {
            throw CNNError.value("the layer's calls differ from the recorded ones")
        }
        let leaf = out.dtype.isFloatingPoint ? try Tensor.randn(out.shape, dtype: out.dtype) : out.detach()
        leaf.requiresGrad = out.dtype.isFloatingPoint
        inputs.append(input)
        leaves.append(leaf)
        return leaf
    }

    func didCall(_ layer: any Layer, output: Tensor?) {}
}

/// Reads which cells of `sources` (source 0 is the layer's input, source k + 1 sublayer call k's stand-in)
/// the cells of `target` read.
private struct Reader {
    let target: Tensor
    let sources: [Tensor]

    /// What one source's cells read from one seed: the channels (first…last) and the rows and columns.
    struct Read: Equatable {
        var channels: ClosedRange<Int>
        var rows: ClosedRange<Int>
        var cols: ClosedRange<Int>
    }

    /// For each seed cell, for each source, what it reads.
    typealias Descriptor = [[Read?]]

    func parts() throws -> [DataFlow.Part] {
        guard target.requiresGrad else { return [] }
        guard let (c, _, _) = Self.dims(target), c > 0 else { return try wholeParts() }
        var groups: [(lo: Int, hi: Int, d: Descriptor)] = []
        switch strategy() {
        case .every where c > Self.mostChannelsMeasuredOneByOne:
            groups = [(0, c - 1, try describe(0..<c))]
        case .ends:
            try split(0, c - 1, try describe(0), try describe(c - 1), checkMiddle: false, into: &groups)
        case .bisect:
            try split(0, c - 1, try describe(0), try describe(c - 1), checkMiddle: true, into: &groups)
        case .every:
            for k in 0..<c {
                let d = try describe(k)
                if let last = groups.last, alike(last.d, last.lo, d, k) {
                    groups[groups.count - 1].hi = k
                } else {
                    groups.append((k, k, d))
                }
            }
        }
        var parts: [DataFlow.Part] = []
        for g in groups { parts += try self.parts(of: g.lo...g.hi, g.d) }
        return parts
    }

    /// A target that is not N×C×H×W: every element seeded; each source read anywhere is read whole.
    private func wholeParts() throws -> [DataFlow.Part] {
        let seed = try Tensor.ones(target.shape, dtype: target.dtype)
        let reads = try backward(seed)
        return reads.enumerated().compactMap { j, r in
            guard let r else { return nil }
            return DataFlow.Part(
                source(j), map: channelMap(r.channels, of: j, target: 0, whole: true), cells: .whole)
        }
    }

    private func source(_ j: Int) -> DataFlow.Source { j == 0 ? .input : .call(j - 1) }

    /// Beyond this many channels, code that may move channels anywhere is measured over all channels at once.
    static let mostChannelsMeasuredOneByOne = 1024

    /// Channels, rows and columns of an N×C×H×W tensor, or of an N×F one (F channels of one cell).
    static func dims(_ t: Tensor) -> (Int, Int, Int)? {
        switch t.ndim {
        case 4: (t.shape[1], t.shape[2], t.shape[3])
        case 2: (t.shape[1], 1, 1)
        default: nil
        }
    }

    private enum Strategy { case ends, bisect, every }

    /// How far to trust that channels between two that read alike read alike too: the code's ops (between
    /// the target and the sources) decide. Elementwise ops, reductions and padding treat every channel the
    /// same; concatenation and convolution make runs of channels; indexing and reshaping may move any
    /// channel anywhere.
    private func strategy() -> Strategy {
        let alike: Set<String> = [
            "add", "sub", "mul", "div", "pow", "remainder", "maximum", "minimum", "neg", "exp", "log", "sqrt", "abs",
            "square", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "clamp", "sum", "max", "min", "amax", "amin",
            "pad", "expand", "contiguous", "clone", "where", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
            "batch_norm", "unsqueeze", "squeeze",
        ]
        let runs: Set<String> = ["concat", "conv2d", "softmax", "log_softmax"]
        let leaves = Set(sources.map { ObjectIdentifier($0) })
        var result = Strategy.ends
        var stack = [target]
        var seen = Set<ObjectIdentifier>()
        while let t = stack.popLast() {
            guard !leaves.contains(ObjectIdentifier(t)), seen.insert(ObjectIdentifier(t)).inserted, let node = t.node
            else { continue }
            let name = node.name.hasPrefix("to(") ? "contiguous" : node.name
            if runs.contains(name) {
                result = .bisect
            } else if !alike.contains(name) {
                return .every
            }
            stack += node.inputs
        }
        return result
    }

    /// Splits channels `lo…hi` into runs that read alike, measuring the middle when the ends differ (and, for
    /// code that makes runs, when they agree).
    private func split(
        _ lo: Int, _ hi: Int, _ dlo: Descriptor, _ dhi: Descriptor, checkMiddle: Bool,
        into groups: inout [(lo: Int, hi: Int, d: Descriptor)]
    ) throws {
        var same = alike(dlo, lo, dhi, hi)
        let mid = (lo + hi) / 2
        var dmid: Descriptor? = nil
        if same, checkMiddle, hi - lo > 1 {
            dmid = try describe(mid)
            same = dmid.map { alike(dlo, lo, $0, mid) } ?? false
        }
        if same || hi == lo {
            if let last = groups.last, last.hi == lo - 1, alike(last.d, last.lo, dlo, lo) {
                groups[groups.count - 1].hi = hi
            } else {
                groups.append((lo, hi, dlo))
            }
            return
        }
        if hi == lo + 1 {
            try split(lo, lo, dlo, dlo, checkMiddle: false, into: &groups)
            try split(hi, hi, dhi, dhi, checkMiddle: false, into: &groups)
            return
        }
        let m = try dmid ?? describe(mid)
        try split(lo, mid, dlo, m, checkMiddle: checkMiddle, into: &groups)
        try split(mid + 1, hi, try describe(mid + 1), dhi, checkMiddle: checkMiddle, into: &groups)
    }

    /// Whether channels `a` (described by `da`) and `b` read alike: the same sources, the same cells, and
    /// channels in the same relation to their own.
    private func alike(_ da: Descriptor, _ a: Int, _ db: Descriptor, _ b: Int) -> Bool {
        for (sa, sb) in zip(da, db) {
            for j in sources.indices {
                switch (sa[j], sb[j]) {
                case (nil, nil): continue
                case (let ra?, let rb?):
                    guard ra.rows == rb.rows, ra.cols == rb.cols,
                        channelMap(ra.channels, of: j, target: a) == channelMap(rb.channels, of: j, target: b)
                    else { return false }
                default: return false
                }
            }
        }
        return true
    }

    private func channelMap(_ read: ClosedRange<Int>, of j: Int, target c: Int, whole: Bool = false) -> ChannelMap {
        guard let (count, _, _) = Self.dims(sources[j]), read.count != count else { return .all }
        if read.count == 1, !whole { return .offset(read.lowerBound - c) }
        return .range(read.lowerBound..<(read.upperBound + 1))
    }

    private var seeds: [(Int, Int)] {
        let (_, h, w) = Self.dims(target) ?? (1, 1, 1)
        let (cy, cx) = ((h - 1) / 2, (w - 1) / 2)
        return [(cy, cx), (Swift.min(cy + 1, h - 1), Swift.min(cx + 1, w - 1)), (0, 0), (h - 1, w - 1)]
    }

    /// What each seed cell of channel `c` reads.
    private func describe(_ c: Int) throws -> Descriptor { try describe(c..<(c + 1)) }

    /// What each seed cell of channels `channels` reads.
    private func describe(_ channels: Range<Int>) throws -> Descriptor {
        var done: [String: [Read?]] = [:]
        return try seeds.map { (i, j) in
            if let d = done["\(i),\(j)"] { return d }
            let d = try backward(seedAt(channels, rows: i...i, cols: j...j))
            done["\(i),\(j)"] = d
            return d
        }
    }

    /// A gradient with ones at rows × cols of channel `c` of the first image.
    private func seedAt(_ c: Int, rows: ClosedRange<Int>, cols: ClosedRange<Int>) throws -> Tensor {
        try seedAt(c..<(c + 1), rows: rows, cols: cols)
    }

    private func seedAt(_ channels: Range<Int>, rows: ClosedRange<Int>, cols: ClosedRange<Int>) throws -> Tensor {
        let (_, h, w) = Self.dims(target) ?? (1, 1, 1)
        var v = [Double](repeating: 0, count: target.count)
        for c in channels { for i in rows { for j in cols { v[(c * h + i) * w + j] = 1 } } }
        return try Tensor(v, shape: target.shape, dtype: target.dtype)
    }

    /// One support-gradient pass: what `seed` reads of each source.
    private func backward(_ seed: Tensor) throws -> [Read?] {
        for s in sources { s.grad = nil }
        try target.backward(gradient: seed, retainGraph: true)
        return sources.map { s in s.grad.flatMap { read($0) } }
    }

    /// The channels, rows and columns where `g` is nonzero, over every image (a tensor that is not
    /// N×C×H×W is one cell).
    private func read(_ g: Tensor) -> Read? {
        let v = g.values
        guard let (c, h, w) = Self.dims(g) else {
            return v.contains { $0 != 0 } ? Read(channels: 0...0, rows: 0...0, cols: 0...0) : nil
        }
        let n = g.shape[0]
        var ch = (Int.max, Int.min), rows = (Int.max, Int.min), cols = (Int.max, Int.min)
        for b in 0..<n {
            for k in 0..<c {
                for i in 0..<h {
                    let base = ((b * c + k) * h + i) * w
                    for j in 0..<w where v[base + j] != 0 {
                        ch = (Swift.min(ch.0, k), Swift.max(ch.1, k))
                        rows = (Swift.min(rows.0, i), Swift.max(rows.1, i))
                        cols = (Swift.min(cols.0, j), Swift.max(cols.1, j))
                    }
                }
            }
        }
        guard ch.0 <= ch.1 else { return nil }
        return Read(channels: ch.0...ch.1, rows: rows.0...rows.1, cols: cols.0...cols.1)
    }

    /// The parts for target channels `channels`, all reading as `d` (measured at the first of them).
    private func parts(of channels: ClosedRange<Int>, _ d: Descriptor) throws -> [DataFlow.Part] {
        let (_, h, w) = Self.dims(target) ?? (1, 1, 1)
        let pts = seeds
        var parts: [DataFlow.Part] = []
        var measured: (rows: [[Read?]], cols: [[Read?]])? = nil
        for j in sources.indices {
            let reads = d.map { $0[j] }
            guard let any = reads.compactMap({ $0 }).first else { continue }
            let map = channelMap(any.channels, of: j, target: channels.lowerBound)
            guard let (_, sh, sw) = Self.dims(sources[j]) else {
                parts.append(
                    DataFlow.Part(
                        source(j), channels: channels.lowerBound..<(channels.upperBound + 1), map: map, cells: .whole))
                continue
            }
            var rows = fit(pts.map(\.0), reads.map { $0?.rows }, count: h, size: sh)
            var cols = fit(pts.map(\.1), reads.map { $0?.cols }, count: w, size: sw)
            if rows == nil || cols == nil {
                // no window fits: every row and every column measured
                if measured == nil {
                    let c = channels.lowerBound
                    measured = (
                        try (0..<h).map { i in try backward(seedAt(c, rows: i...i, cols: 0...(w - 1))) },
                        try (0..<w).map { k in try backward(seedAt(c, rows: 0...(h - 1), cols: k...k)) }
                    )
                }
                rows = measured?.rows.map { $0[j]?.rows }
                cols = measured?.cols.map { $0[j]?.cols }
            }
            parts.append(
                DataFlow.Part(
                    source(j), channels: channels.lowerBound..<(channels.upperBound + 1), map: map,
                    cells: .tables(rows: rows ?? [], cols: cols ?? [])))
        }
        return parts
    }

    /// The window (start `a + i·s`, `k` cells, clipped to `size`) through what cells `at` read, if one
    /// predicts all of them, as a table of `count` rows.
    private func fit(_ at: [Int], _ reads: [ClosedRange<Int>?], count: Int, size: Int) -> [ClosedRange<Int>?]? {
        guard let r0 = reads[0] else { return nil }
        var s = 1
        if at[1] != at[0], let r1 = reads[1] {
            s = r0.lowerBound > 0 ? r1.lowerBound - r0.lowerBound : r1.upperBound - r0.upperBound
        }
        guard s >= 0 else { return nil }
        let k = r0.count, a = r0.lowerBound - at[0] * s
        func predict(_ i: Int) -> ClosedRange<Int>? {
            let lo = Swift.max(0, a + i * s), hi = Swift.min(size - 1, a + i * s + k - 1)
            return lo <= hi ? lo...hi : nil
        }
        for (p, r) in zip(at, reads) where predict(p) != r { return nil }
        return (0..<count).map(predict)
    }
}
