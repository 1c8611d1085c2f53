/// An n-dimensional array of Float32, Float64 or Int64 with reverse-mode autograd.
///
/// A `Tensor` is a reference: copying it in Swift (or binding it to a second name in Stride) keeps the
/// same gradient identity, as in PyTorch. It is a strided view of a `Storage`: `shape`, `strides` (in
/// elements) and `offset` say where its elements are. Indexing with integers and slices, `reshape` of a
/// contiguous tensor, `permute`, `transpose`, `squeeze`, `unsqueeze`, `expand` and `detach` are views that
/// share the storage (so `x[0][1] = 5` writes into `x`, as in NumPy); every computing op produces fresh
/// contiguous storage.
///
/// Results of ops on tensors that require gradients carry a `GradNode` (the op's pullback and its inputs).
/// `backward()` walks those nodes, accumulates into the `grad` of leaves, and frees the graph.
public final class Tensor {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Element strides per dimension, into `storage`.
    public let strides: [Int]
    /// Index of the first element in `storage`.
    public let offset: Int
    /// The elements (possibly shared with views).
    public let storage: Storage
    /// Number of elements.
    public let count: Int
    /// Whether the elements are laid out row-major without gaps (from `offset`).
    public let isContiguous: Bool
    /// Whether gradients flow to this tensor (leaves) or through it (op results). Ops set it; user code
    /// goes through `setRequiresGrad`, which checks the rules.
    /// (Exclusivity unchecked here and on `isReadOnly`: flags read and set by single statements, on every
    /// element write; checked in an internal-checks build.)
    #if STRIDE_INTERNAL_CHECKS
        public var requiresGrad: Bool
    #else
        @exclusivity(unchecked) public var requiresGrad: Bool
    #endif
    /// Accumulated gradient of a leaf (or of a non-leaf after `retainGrad()`), nil until then.
    public var grad: Tensor?
    /// The op that produced this tensor, while the graph is alive.
    var node: GradNode?
    /// What a layer holds it as: a parameter (trained, saved), a buffer (saved), or neither.
    public var role: Role = .plain
    /// A read-only tensor refuses in-place writes (a layer's recorded `output`).
    #if STRIDE_INTERNAL_CHECKS
        public var isReadOnly = false
    #else
        @exclusivity(unchecked) public var isReadOnly = false
    #endif
    /// Whether `backward()` stores this non-leaf's gradient in `grad` (`retain_grad()`).
    public var retainsGrad = false
    /// A 0/1 tensor made by a comparison (or by combining such masks): indexing with it selects where it
    /// is 1 (`x[x > 0]`), where any other tensor's values are indices.
    public var isMask = false

    /// What a layer holds a tensor as.
    public enum Role: Sendable {
        case plain, parameter, buffer
    }

    /// A view: `shape` and `strides` over `storage` from `offset`. The caller guarantees every element it
    /// can address lies inside the storage (checked by `checkInvariants` in an internal-checks build).
    init(viewOf storage: Storage, shape: [Int], strides: [Int], offset: Int, count: Int) {
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.storage = storage
        self.count = count
        self.requiresGrad = false
        var contiguous = true
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected {
                contiguous = false
                break
            }
            expected &*= shape[d]
        }
        self.isContiguous = contiguous || count == 0
        #if STRIDE_INTERNAL_CHECKS
            checkInvariants()
        #endif
    }

    /// The view's invariants: one stride per dimension, sizes that multiply to `count`, and every addressable
    /// element inside the storage. Run on every view in an internal-checks build.
    func checkInvariants() {
        precondition(shape.count == strides.count, "internal: \(shape.count) sizes but \(strides.count) strides")
        precondition(shape.allSatisfy { $0 >= 0 }, "internal: a negative size in \(shape)")
        precondition(shape.reduce(1, *) == count, "internal: shape \(shape) holds \(shape.reduce(1, *)), not \(count)")
        guard count > 0 else { return }
        var lowest = offset, highest = offset
        for (n, s) in zip(shape, strides) where n > 1 {
            if s < 0 { lowest += (n - 1) * s } else { highest += (n - 1) * s }
        }
        precondition(
            lowest >= 0 && highest < storage.count,
            "internal: a view of \(shape) strides \(strides) offset \(offset) reaches \(lowest)…\(highest) of a storage of "
                + "\(storage.count)")
    }

    /// A contiguous tensor over all of `storage`, whose count must equal the shape's.
    convenience init(contiguous storage: Storage, shape: [Int]) {
        self.init(viewOf: storage, shape: shape, strides: contiguousStrides(shape), offset: 0, count: storage.count)
    }

    /// A fresh tensor (zero-filled unless `zeroed` is false).
    public convenience init(shape: [Int], dtype: DType = .float32, zeroed: Bool = true) throws {
        let n = try Shape.count(shape)
        self.init(contiguous: try Storage(dtype: dtype, count: n, zeroed: zeroed), shape: shape)
    }

    /// A tensor from flat values, row-major.
    public convenience init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
        let n = try Shape.count(shape)
        guard n == values.count else {
            throw CNNError.shape("\(values.count) values cannot fill shape \(shapeString(shape)) (\(n) elements)")
        }
        if dtype == .int64 {
            for (i, v) in values.enumerated() { _ = try Shape.integer(v, "element \(i) of an int64 tensor") }
        }
        let s = try Storage(dtype: dtype, count: n, zeroed: false)
        for i in 0..<n { s.set(i, values[i]) }
        self.init(contiguous: s, shape: shape)
    }

    /// An Int64 tensor from exact integers, row-major (no trip through Double: 2^53 + 1 stays itself).
    public convenience init(integers values: [Int64], shape: [Int]) throws {
        let n = try Shape.count(shape)
        guard n == values.count else {
            throw CNNError.shape("\(values.count) values cannot fill shape \(shapeString(shape)) (\(n) elements)")
        }
        let s = try Storage(dtype: .int64, count: n, zeroed: false)
        let p = s.pointer(Int64.self)
        for i in 0..<n { p[i] = values[i] }
        self.init(contiguous: s, shape: shape)
    }

    /// A 0-d tensor holding one number.
    public convenience init(scalar: Double, dtype: DType = .float32) throws {
        try self.init([scalar], shape: [], dtype: dtype)
    }

    public var dtype: DType { storage.dtype }
    public var ndim: Int { shape.count }
    /// True for tensors not produced by a recorded op.
    public var isLeaf: Bool { node == nil }
    /// The name of the op that produced this tensor, if recorded.
    public var opName: String? { node?.name }
    /// Whether this is a layer's parameter.
    public var isParameter: Bool { role == .parameter }

    /// Sets `requires_grad` as a user may: only on leaves, only for floating-point tensors.
    public func setRequiresGrad(_ on: Bool) throws {
        guard isLeaf else {
            throw CNNError.value(
                "requires_grad can only be set on leaf tensors; this one was computed by \(opName ?? "an op") "
                    + "(use .detach() to get a leaf)")
        }
        guard !on || dtype.isFloatingPoint else {
            throw CNNError.type(
                "only floating-point tensors can require gradients, got a \(dtype) tensor (use .float())")
        }
        requiresGrad = on
    }

    /// Keeps this non-leaf's gradient in `grad` after the next `backward()` (PyTorch's `retain_grad`).
    public func retainGrad() throws {
        guard requiresGrad else {
            throw CNNError.value("retain_grad() on a tensor that does not require grad")
        }
        retainsGrad = true
    }

    /// Clears `grad`.
    public func zeroGrad() { grad = nil }
}
