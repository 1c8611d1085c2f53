/// Mini-batches and row selection for data sets stored as (images, labels) tensors.
extension Tensor {
    /// Rows `idx` along the first dimension (a copy, no gradient), as `index_select(0, idx)`.
    public func selectRows(_ idx: [Int]) throws -> Tensor {
        guard ndim >= 1 else { throw CNNError.shape("selecting rows needs at least one dimension") }
        let src = try contiguous()
        let row = count / Swift.max(shape[0], 1)
        var s = shape
        s[0] = idx.count
        let out = try Tensor(shape: s, dtype: dtype, zeroed: false)
        let es = dtype.byteSize
        let base = src.storage.raw + src.offset * es
        for (k, i) in idx.enumerated() {
            guard i >= 0 && i < shape[0] else { throw CNNError.index("row \(i) is out of range for \(shape[0]) rows") }
            if k % 1024 == 1023 { try Cancellation.check() }
            (out.storage.raw + k * row * es).copyMemory(from: base + i * row * es, byteCount: row * es)
        }
        return out
    }
}

/// Iterates (x, y) mini-batches over the first dimension, shuffled per pass when asked.
public struct BatchIterator {
    public let x: Tensor, y: Tensor?
    public let size: Int
    let order: [Int]
    var pos = 0
    public init(_ x: Tensor, _ y: Tensor?, size: Int, shuffle: Bool) throws {
        guard size > 0 else { throw CNNError.value("batch size must be positive, got \(size)") }
        guard x.ndim >= 1 else { throw CNNError.shape("batches needs data with a first (sample) dimension") }
        if let y, y.shape.first != x.shape[0] {
            throw CNNError.shape("batches: \(x.shape[0]) samples but \(y.shape.first ?? 0) labels")
        }
        self.x = x; self.y = y; self.size = size
        var o = Array(0..<x.shape[0])
        if shuffle {
            GlobalRandom.with { r in
                for i in stride(from: o.count - 1, to: 0, by: -1) { o.swapAt(i, r.int(below: i + 1)) }
            }
        }
        order = o
    }
    /// Number of batches in one pass.
    public var count: Int { (order.count + size - 1) / size }
    public mutating func next() throws -> (Tensor, Tensor?)? {
        guard pos < order.count else { return nil }
        let idx = Array(order[pos..<Swift.min(pos + size, order.count)])
        pos += size
        return (try x.selectRows(idx), try y?.selectRows(idx))
    }
}
