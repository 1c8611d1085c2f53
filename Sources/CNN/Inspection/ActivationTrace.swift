/// Records every layer call while it observes (`observing`): which layer ran, on which tensor, inside which
/// call, and what it returned. What `show(model, x)`, `summary` and the receptive fields read (user layers
/// call their sublayers in any order and on any tensor, so the calls, not the tree, are the truth). The
/// tensors are held as they were passed, so their identities tell which call's output fed which call.
public final class ActivationTrace: LayerCallObserver {
    /// One layer call.
    public struct Call {
        public let layer: any Layer
        /// The call's first tensor argument.
        public let input: Tensor?
        /// Its tensor output (nil until it returns, or when it returned something else or threw).
        public internal(set) var output: Tensor?
        /// The call it was made from (an index into `calls`), nil for an outermost call.
        public let parent: Int?
        /// When it began and returned, on one clock shared by all calls (returned is -1 until then).
        public let began: Int
        public internal(set) var returned: Int
    }

    /// One layer call and its output (read-only), in the order the calls returned.
    public struct Entry {
        public let layer: any Layer
        public let output: Tensor
        /// Its index in `calls`.
        public let call: Int
    }

    /// Every call, in the order the calls began.
    public private(set) var calls: [Call] = []
    private var open: [Int] = []
    private var clock = 0

    public init() {}

    /// The calls that returned a tensor, in the order they returned (a layer after the layers it called).
    public var entries: [Entry] {
        calls.indices.filter { calls[$0].output != nil }.sorted { calls[$0].returned < calls[$1].returned }.compactMap {
            i in calls[i].output.map { Entry(layer: calls[i].layer, output: $0.readOnlyView(), call: i) }
        }
    }

    /// For each call, the calls made directly from it, in the order they began.
    public var callsMade: [[Int]] {
        var made = [[Int]](repeating: [], count: calls.count)
        for (i, c) in calls.enumerated() { if let p = c.parent { made[p].append(i) } }
        return made
    }

    public func willCall(_ layer: any Layer, input: Tensor?) throws -> Tensor? {
        calls.append(Call(layer: layer, input: input, output: nil, parent: open.last, began: clock, returned: -1))
        clock += 1
        open.append(calls.count - 1)
        return nil
    }

    public func didCall(_ layer: any Layer, output: Tensor?) {
        guard let i = open.popLast() else { return }
        calls[i].output = output
        calls[i].returned = clock
        clock += 1
    }
}
