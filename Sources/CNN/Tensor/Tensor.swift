/// An n-dimensional array of Float32 or Float64 with reverse-mode autograd.
///
/// A `Tensor` is a reference: copying it in Swift (or binding it to a second name in
/// Stride) keeps the same gradient identity, as in PyTorch. Storage is contiguous,
/// row-major; `reshape` shares storage, every other op produces fresh storage.
///
/// Results of ops on tensors that require gradients carry a `GradNode` (the op's
/// pullback and its inputs). `backward()` walks those nodes, accumulates into the
/// `grad` of leaves, and releases the graph.
public final class Tensor {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// The elements (possibly shared with views).
    public let storage: Storage
    /// Whether gradients flow to this tensor (leaves) or through it (op results).
    public var requiresGrad: Bool
    /// Accumulated gradient of a leaf after `backward()`; nil until then.
    public var grad: Tensor?
    /// The op that produced this tensor, while the graph is alive.
    var node: GradNode?

    /// Wraps existing storage. `shape` must describe `storage.count` elements.
    public init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A fresh tensor (zero-filled unless `zeroed` is false).
    public convenience init(shape: [Int], dtype: DType = .float32, zeroed: Bool = true) throws {
        try checkShape(shape)
        try self.init(shape: shape, storage: Storage(dtype: dtype, count: shape.reduce(1, *), zeroed: zeroed))
    }

    /// A tensor from flat values.
    public convenience init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
        try checkShape(shape)
        let n = shape.reduce(1, *)
        guard n == values.count else {
            throw CNNError.shape("\(values.count) values cannot fill shape \(shapeString(shape)) (\(n) elements)")
        }
        let s = try Storage(dtype: dtype, count: n, zeroed: false)
        for i in 0..<n { s.set(i, values[i]) }
        self.init(shape: shape, storage: s)
    }

    /// A 0-d tensor holding one number.
    public convenience init(scalar: Double, dtype: DType = .float32) throws {
        try self.init([scalar], shape: [], dtype: dtype)
    }

    public var dtype: DType { storage.dtype }
    public var ndim: Int { shape.count }
    /// Number of elements.
    public var count: Int { storage.count }
    /// True for tensors not produced by a recorded op.
    public var isLeaf: Bool { node == nil }
    /// The name of the op that produced this tensor, if recorded.
    public var opName: String? { node?.name }

    /// Row-major strides of `shape`.
    public var strides: [Int] { contiguousStrides(shape) }

    /// All elements as Doubles, row-major.
    public var values: [Double] { (0..<count).map { storage.get($0) } }

    /// Element at a multi-index (no bounds checks beyond the storage).
    public subscript(flat i: Int) -> Double { storage.get(i) }

    /// The one value of a tensor with one element.
    public func item() throws -> Double {
        guard count == 1 else {
            throw CNNError.value("item() needs a tensor with one element, got shape \(shapeString(shape)) (\(count) elements)")
        }
        return storage.get(0)
    }

    /// A tensor sharing this storage with no graph history.
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy with no graph history.
    public func clone() throws -> Tensor {
        let s = try Storage(dtype: dtype, count: count, zeroed: false)
        s.raw.copyMemory(from: storage.raw, byteCount: storage.bytes)
        return Tensor(shape: shape, storage: s)
    }

    /// Converts to another element type (a differentiable op).
    public func to(_ dt: DType) throws -> Tensor {
        if dt == dtype { return self }
        let out = try Tensor(shape: shape, dtype: dt, zeroed: false)
        let n = count
        if dt == .float64 { let s = storage.floats, d = out.storage.doubles; for i in 0..<n { d[i] = Double(s[i]) } }
        else { let s = storage.doubles, d = out.storage.floats; for i in 0..<n { d[i] = Float(s[i]) } }
        let src = dtype
        return record(out, "to(\(dt))", [self]) { g in [try g.to(src)] }
    }

    /// Clears `grad`.
    public func zeroGrad() { grad = nil }
}

/// Row-major strides for a shape.
public func contiguousStrides(_ shape: [Int]) -> [Int] {
    var st = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { st[i] = acc; acc *= shape[i] }
    return st
}

func checkShape(_ shape: [Int]) throws {
    var n = 1
    for d in shape {
        guard d >= 0 else { throw CNNError.shape("negative dimension \(d) in shape \(shapeString(shape))") }
        let (p, o) = n.multipliedReportingOverflow(by: d)
        guard !o, p < (1 << 48) else { throw CNNError.memory("shape \(shapeString(shape)) has too many elements") }
        n = p
    }
}

/// Normalises a possibly negative dimension index against `ndim`.
public func normalizeDim(_ d: Int, _ ndim: Int, _ what: String = "dim") throws -> Int {
    let r = d < 0 ? d + ndim : d
    guard r >= 0 && r < ndim else {
        throw CNNError.index("\(what) \(d) is out of range for a tensor with \(ndim) dimension\(ndim == 1 ? "" : "s")")
    }
    return r
}

/// Broadcast shape of two shapes (numpy rules).
public func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        if da == db || db == 1 { out[i] = da }
        else if da == 1 { out[i] = db }
        else {
            throw CNNError.shape("shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast: dimension \(i - n) is \(da) vs \(db)")
        }
    }
    return out
}
