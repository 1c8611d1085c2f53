import Foundation
import Synchronization

/// A tensor memory budget. Allocation beyond the limit throws `CNNError.memory`
/// before any byte is touched, so a runaway cell gets a `MemoryError` rather than an
/// OOM kill. Each session installs its own as `MemoryBudget.current`; storage
/// remembers which budget it charged.
public final class MemoryBudget: Sendable {
    struct State { var inUse = 0; var peak = 0; var limit: Int }
    let state: Mutex<State>

    public init(limit: Int) { state = Mutex(State(limit: limit)) }

    /// The process-wide default budget (8 GiB, or `STRIDE_MAX_MEMORY`).
    public static let process = MemoryBudget(limit: defaultLimit())
    /// The budget charged by allocations in the running task.
    @TaskLocal public static var current: MemoryBudget = .process

    /// The limit from `STRIDE_MAX_MEMORY` (`8G`, `512M`, bytes), else 8 GiB.
    public static func defaultLimit() -> Int {
        if let s = ProcessInfo.processInfo.environment["STRIDE_MAX_MEMORY"], let v = parseBytes(s) { return v }
        return 8 << 30
    }

    /// Parses `"8G"`, `"512M"`, `"1000000"`.
    public static func parseBytes(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces).uppercased()
        var mult = 1
        var num = t
        for (suffix, m) in [("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)] where t.hasSuffix(suffix) {
            mult = m; num = String(t.dropLast(suffix.count)); break
        }
        guard let v = Double(num), v > 0, v * Double(mult) < 9e18 else { return nil }
        return Int(v * Double(mult))
    }

    /// The limit in bytes.
    public var limit: Int {
        get { state.withLock { $0.limit } }
        set { state.withLock { $0.limit = newValue } }
    }
    /// Bytes held by live tensors charged to this budget.
    public var inUse: Int { state.withLock { $0.inUse } }
    /// The most ever held at once.
    public var peak: Int { state.withLock { $0.peak } }

    func reserve(_ bytes: Int) throws {
        try state.withLock { s in
            if bytes > s.limit - s.inUse {
                throw CNNError.memory("cannot allocate a tensor of \(Self.formatBytes(bytes)): the session limit is \(Self.formatBytes(s.limit)) and \(Self.formatBytes(s.inUse)) is in use (set STRIDE_MAX_MEMORY to change it)")
            }
            s.inUse += bytes
            s.peak = max(s.peak, s.inUse)
        }
    }
    func release(_ bytes: Int) { state.withLock { $0.inUse -= bytes } }

    /// `1.5 GiB`, `12.0 MiB`, `300 B`.
    public static func formatBytes(_ b: Int) -> String {
        let d = Double(b)
        if d >= Double(1 << 30) { return String(format: "%.1f GiB", d / Double(1 << 30)) }
        if d >= Double(1 << 20) { return String(format: "%.1f MiB", d / Double(1 << 20)) }
        if d >= Double(1 << 10) { return String(format: "%.1f KiB", d / Double(1 << 10)) }
        return "\(b) B"
    }
}

/// Size-keyed free lists of large buffers. Fresh pages cost ~2.5 µs per 4 KiB to
/// fault in, which dominates small convolutions; training loops allocate the same
/// sizes every step, so reusing exact sizes removes nearly all of it.
public enum BufferPool {
    static let minPooledBytes = 1 << 16
    static let capBytes = 1 << 30
    struct State { var free: [Int: [UInt]] = [:]; var pooled = 0 }  // addresses as bit patterns
    static let state = Mutex(State())

    static func take(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minPooledBytes, let a = state.withLock({ s -> UInt? in
            guard var list = s.free[bytes], let p = list.popLast() else { return nil }
            s.free[bytes] = list
            s.pooled -= bytes
            return p
        }), let p = UnsafeMutableRawPointer(bitPattern: a) { return p }
        return UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
    }

    static func give(_ p: UnsafeMutableRawPointer, _ bytes: Int) {
        if bytes >= minPooledBytes {
            let kept = state.withLock { s -> Bool in
                guard s.pooled + bytes <= capBytes else { return false }
                s.free[bytes, default: []].append(UInt(bitPattern: p))
                s.pooled += bytes
                return true
            }
            if kept { return }
        }
        p.deallocate()
    }

    /// Returns every pooled buffer to the system (used by `%reset`).
    public static func drain() {
        let all = state.withLock { s -> [UInt] in
            let ps = s.free.values.flatMap { $0 }
            s.free = [:]; s.pooled = 0
            return ps
        }
        for a in all { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
    }
}

/// Contiguous element storage of one dtype. Several tensors may share a storage
/// (a `reshape` is a view), as in PyTorch.
public final class Storage: @unchecked Sendable {
    public let dtype: DType
    public let count: Int
    let raw: UnsafeMutableRawPointer
    let bytes: Int
    let budget: MemoryBudget

    /// Allocates `count` elements, charging the session budget; zero-filled when asked.
    public init(dtype: DType, count: Int, zeroed: Bool = true) throws {
        guard count >= 0 else { throw CNNError.value("negative element count \(count)") }
        let (b, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw CNNError.memory("a tensor of \(count) elements is too large to allocate") }
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

    /// Typed pointer to the elements; `T` must match `dtype`.
    @inline(__always) public func pointer<T: TensorScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }
    @inline(__always) public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
    @inline(__always) public var doubles: UnsafeMutablePointer<Double> { raw.assumingMemoryBound(to: Double.self) }

    /// Element `i` as a Double.
    @inline(__always) public func get(_ i: Int) -> Double {
        dtype == .float32 ? Double(floats[i]) : doubles[i]
    }
    /// Sets element `i` from a Double.
    @inline(__always) public func set(_ i: Int, _ v: Double) {
        if dtype == .float32 { floats[i] = Float(v) } else { doubles[i] = v }
    }
}
