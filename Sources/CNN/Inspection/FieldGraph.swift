/// How the tensors of one forward pass read each other, cell by cell: the model's input, every layer call's
/// output and the tensors a layer's own code made between its sublayer calls are nodes, and a link says which
/// cells of a source each cell of a target reads. Walking the links back from one cell gives its receptive
/// field in every earlier tensor: what `receptive_field` returns and the activation explorer outlines.
/// Built by `FieldGraph(trace:input:)`; the links of a layer's own code are declared (convolutions, pooling,
/// the built-in blocks) or measured (user layers).
public struct FieldGraph: Sendable {
    public struct Node: Sendable, Equatable {
        public var shape: [Int]
        /// Whether the tensor is N×C×H×W or N×F (F channels of one cell each): otherwise it has one channel of
        /// one cell, and reading any of it reads all of it.
        public var isSpatial: Bool { shape.count == 4 || shape.count == 2 }
        public var channels: Int { isSpatial ? shape[1] : 1 }
        public var height: Int { shape.count == 4 ? shape[2] : 1 }
        public var width: Int { shape.count == 4 ? shape[3] : 1 }
    }

    /// Target channels `channels` read source channels `map`, and target row `i` source rows `rows[i]`
    /// (nil: none), target column `j` source columns `cols[j]`; `rows`/`cols` nil: every cell of the source.
    public struct Link: Sendable, Equatable {
        public var target: Int, source: Int
        public var channels: Range<Int>
        public var map: ChannelMap
        public var rows: [ClosedRange<Int>?]?
        public var cols: [ClosedRange<Int>?]?
    }

    /// Rows `top…bottom` and columns `left…right`, inclusive.
    public struct Rect: Sendable, Equatable {
        public var top: Int, bottom: Int, left: Int, right: Int

        public init(top: Int, bottom: Int, left: Int, right: Int) {
            (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
        }

        func union(_ o: Rect?) -> Rect {
            guard let o else { return self }
            return Rect(
                top: Swift.min(top, o.top), bottom: Swift.max(bottom, o.bottom), left: Swift.min(left, o.left),
                right: Swift.max(right, o.right))
        }
    }

    /// The cells of one node a field covers: `all` in every channel, and more in some.
    public struct Region: Sendable, Equatable {
        public var all: Rect?
        public var perChannel: [Int: Rect] = [:]

        /// The cells of channel `c`.
        public func rect(_ c: Int) -> Rect? {
            guard let own = perChannel[c] else { return all }
            return own.union(all)
        }

        /// The cells of any channel.
        public var union: Rect? {
            var r = all
            for v in perChannel.values { r = v.union(r) }
            return r
        }

        mutating func add(_ r: Rect, channel c: Int) { perChannel[c] = r.union(perChannel[c]) }
        mutating func addToAll(_ r: Rect) { all = r.union(all) }
    }

    /// Nodes in the order they were made: every link's source comes before its target. Node 0 is the input.
    public internal(set) var nodes: [Node] = []
    public internal(set) var links: [Link] = []
    var callNodeList: [Int?] = []

    /// The field of cell (`channel`, `row`, `col`) of node `node` in every node: nil where it reads nothing.
    public func field(of node: Int, channel: Int, row: Int, col: Int) -> [Region?] {
        var regions = [Region?](repeating: nil, count: nodes.count)
        let n = nodes[node]
        let start = n.isSpatial ? Rect(top: row, bottom: row, left: col, right: col) : whole(node)
        var first = Region()
        first.add(start, channel: n.isSpatial ? channel : 0)
        regions[node] = first
        let byTarget = linksByTarget
        for t in stride(from: node, through: 0, by: -1) {
            guard let region = regions[t] else { continue }
            for li in byTarget[t] { follow(links[li], from: region, into: &regions) }
        }
        return regions
    }

    /// The links into each node.
    var linksByTarget: [[Int]] {
        var by = [[Int]](repeating: [], count: nodes.count)
        for (i, l) in links.enumerated() { by[l.target].append(i) }
        return by
    }

    func whole(_ i: Int) -> Rect { Rect(top: 0, bottom: nodes[i].height - 1, left: 0, right: nodes[i].width - 1) }

    /// The cells of `link.source` that the cells `r` of the target read.
    func apply(_ link: Link, _ r: Rect) -> Rect? {
        guard let rows = link.rows, let cols = link.cols else { return whole(link.source) }
        guard let v = span(rows, r.top, r.bottom), let h = span(cols, r.left, r.right) else { return nil }
        return Rect(top: v.lowerBound, bottom: v.upperBound, left: h.lowerBound, right: h.upperBound)
    }

    private func span(_ table: [ClosedRange<Int>?], _ a: Int, _ b: Int) -> ClosedRange<Int>? {
        let first = Swift.max(a, 0), last = Swift.min(b, table.count - 1)
        guard first <= last else { return nil }
        var lo = Int.max, hi = Int.min
        for case let s? in table[first...last] {
            lo = Swift.min(lo, s.lowerBound)
            hi = Swift.max(hi, s.upperBound)
        }
        return lo <= hi ? lo...hi : nil
    }

    private func follow(_ link: Link, from region: Region, into regions: inout [Region?]) {
        let (t, s) = (nodes[link.target], nodes[link.source])
        var out = regions[link.source] ?? Region()
        if case .flattened(let h, let w) = link.map {
            // feature f is cell (f mod h·w) of channel f / (h·w)
            for f in link.channels where f < t.channels && region.rect(f) != nil {
                let (k, i) = (f / Swift.max(h * w, 1), f % Swift.max(h * w, 1))
                guard k < s.channels else { continue }
                out.add(
                    Rect(
                        top: i / Swift.max(w, 1), bottom: i / Swift.max(w, 1), left: i % Swift.max(w, 1),
                        right: i % Swift.max(w, 1)), channel: k)
            }
        } else if link.map.readsTheSameForEveryChannel || !s.isSpatial {
            // one rect for the target channels, spread over the source channels
            var joined: Rect? = nil
            for c in link.channels where c < t.channels {
                if let r = region.rect(c) { joined = r.union(joined) }
            }
            guard let joined, let read = apply(link, joined) else { return }
            let sources = link.map.sources(of: 0, targetCount: t.channels, sourceCount: s.channels)
            if sources.count == s.channels {
                out.addToAll(read)
            } else {
                for k in sources { out.add(read, channel: k) }
            }
        } else {
            for c in link.channels where c < t.channels {
                guard let r = region.rect(c), let read = apply(link, r) else { continue }
                for k in link.map.sources(of: c, targetCount: t.channels, sourceCount: s.channels) {
                    out.add(read, channel: k)
                }
            }
        }
        regions[link.source] = out
    }
}
