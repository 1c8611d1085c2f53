import Foundation

/// Contiguous element storage of one dtype. Several tensors may share a storage (views: `reshape`,
/// indexing, `permute`, `detach`), as in PyTorch.
///
/// `version` counts in-place writes. Autograd remembers the version of every tensor an op saved for
/// its backward pass and refuses to run that backward if the storage was modified since (PyTorch's
/// version counter), so an in-place write can never silently change a gradient.
public final class Storage: @unchecked Sendable {  // raw memory; kernels hand out disjoint slices
    public let dtype: DType
    public let count: Int
    let raw: UnsafeMutableRawPointer
    let bytes: Int
    let budget: MemoryBudget
    /// Bumped by every in-place write.
    /// Unchecked: a counter bumped by single statements (no code runs during the access); checked in an
    /// internal-checks build.
    #if STRIDE_INTERNAL_CHECKS
        public internal(set) var version = 0
    #else
        @exclusivity(unchecked) public internal(set) var version = 0
    #endif

    /// Allocates `count` elements, charging the session budget; zero-filled when asked.
    init(dtype: DType, count: Int, zeroed: Bool = true) throws {
        guard count >= 0, count <= Shape.maxElements else {
            throw CNNError.memory("a tensor of \(count) elements cannot be allocated")
        }
        let b = count * dtype.byteSize
        let budget = MemoryBudget.current
        try budget.reserve(b)
        self.budget = budget
        self.dtype = dtype
        self.count = count
        self.bytes = b
        self.raw = BufferPool.take(b)
        if zeroed { memset(raw, 0, b) }
    }

    deinit {
        BufferPool.give(raw, bytes)
        budget.release(bytes)
    }

    /// Marks an in-place write.
    @inline(__always) func bump() { version &+= 1 }

    /// Typed pointer to the elements; `T` must match `dtype`.
    @inline(__always) public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }

    /// Element `i` as a Double.
    @inline(__always) public func get(_ i: Int) -> Double {
        switch dtype {
        case .float32: Double(raw.assumingMemoryBound(to: Float.self)[i])
        case .float64: raw.assumingMemoryBound(to: Double.self)[i]
        case .int64: Double(raw.assumingMemoryBound(to: Int64.self)[i])
        }
    }

    /// Sets element `i` from a Double (Int64 storage takes the value truncated toward zero; callers
    /// validate user values with `Shape.integer` first).
    @inline(__always) public func set(_ i: Int, _ v: Double) {
        switch dtype {
        case .float32: raw.assumingMemoryBound(to: Float.self)[i] = Float(v)
        case .float64: raw.assumingMemoryBound(to: Double.self)[i] = v
        case .int64: raw.assumingMemoryBound(to: Int64.self)[i] = Int64(clampingForInt: v)
        }
    }

    /// Element `i` of Int64 storage.
    @inline(__always) public func getInt(_ i: Int) -> Int {
        dtype == .int64 ? Int(raw.assumingMemoryBound(to: Int64.self)[i]) : Int(clampingForInt: get(i))
    }
}

extension Int64 {
    /// Truncates toward zero, saturating at the ends of the range; NaN becomes 0.
    init(clampingForInt v: Double) {
        if v.isNaN {
            self = 0
        } else if v >= 9.223_372_036_854_775_807e18 {
            self = .max
        } else if v <= -9.223_372_036_854_775_808e18 {
            self = .min
        } else {
            self = Int64(v)
        }
    }
}

extension Int {
    init(clampingForInt v: Double) { self = Int(Int64(clampingForInt: v)) }
}
