/// A node's children, read on hot paths without reference counting: `nodes` owns them, `refs` lists the same
/// objects unretained, and evaluation borrows each one for the call (iterating an array of classes retains and
/// releases every element).
final class NodeList<N: AnyObject> {
    let nodes: [N]
    private let refs: UnsafeMutablePointer<Borrowed<N>>
    let count: Int

    init(_ nodes: [N]) {
        self.nodes = nodes
        count = nodes.count
        refs = .allocate(capacity: Swift.max(1, nodes.count))
        for (i, n) in nodes.enumerated() { (refs + i).initialize(to: Borrowed(n)) }
    }

    deinit {
        refs.deinitialize(count: count)
        refs.deallocate()
    }

    /// Runs `body` with child `i`, borrowed.
    @inline(__always) func with<R>(_ i: Int, _ body: (N) throws -> R) rethrows -> R {
        try refs[i].with(body)
    }
}

extension NodeList where N == Node {
    /// Evaluates child `i`.
    @inline(__always) func eval(_ i: Int, _ f: inout Frame) throws -> Value {
        try refs[i].with { try $0.eval(&f) }
    }
}

extension NodeList where N == StmtNode {
    /// Runs the statements in order until one breaks the flow.
    @inline(__always) func exec(_ f: inout Frame) throws -> Flow {
        for i in 0..<count {
            let flow = try refs[i].with { try $0.exec(&f) }
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }
}
