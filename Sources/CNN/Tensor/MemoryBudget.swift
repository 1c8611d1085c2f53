import Foundation
import Synchronization

/// A tensor memory budget. Allocation beyond the limit throws `CNNError.memory` before any byte is
/// touched, so a runaway cell gets a `MemoryError` rather than an OOM kill. Each session installs its own
/// as `MemoryBudget.current`; storage remembers which budget it charged.
public final class MemoryBudget: Sendable {
    struct State {
        var inUse = 0
        var peak = 0
        var limit: Int
    }

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
        let suffixes = [
            ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10),
            ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10),
        ]
        for (suffix, m) in suffixes where t.hasSuffix(suffix) {
            mult = m
            num = String(t.dropLast(suffix.count))
            break
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
    /// Bytes that may still be allocated.
    public var available: Int { state.withLock { Swift.max(0, $0.limit - $0.inUse) } }

    /// Checks that `bytes` more would fit (for memory a user sizes that is not a tensor, such as a list).
    public func check(_ bytes: Int, _ what: @autoclosure () -> String) throws {
        let s = state.withLock { $0 }
        if bytes < 0 || bytes > s.limit - s.inUse {
            throw CNNError.memory(
                "cannot allocate \(what()) of \(Self.formatBytes(bytes)): the session limit is "
                    + "\(Self.formatBytes(s.limit)) and \(Self.formatBytes(s.inUse)) is in use (set STRIDE_MAX_MEMORY to change it)"
            )
        }
    }

    /// Resets the high-water mark to what is in use now.
    public func resetPeak() { state.withLock { $0.peak = $0.inUse } }

    /// Charges `bytes` for `what` (a tensor, a list's elements), or throws MemoryError when they do not fit.
    public func reserve(_ bytes: Int, for what: @autoclosure () -> String = "a tensor") throws {
        try state.withLock { s in
            if bytes < 0 || bytes > s.limit - s.inUse {
                throw CNNError.memory(
                    "cannot allocate \(what()) of \(Self.formatBytes(Swift.max(bytes, 0))): the session limit is "
                        + "\(Self.formatBytes(s.limit)) and \(Self.formatBytes(s.inUse)) is in use (set STRIDE_MAX_MEMORY to change it)"
                )
            }
            s.inUse += bytes
            s.peak = Swift.max(s.peak, s.inUse)
        }
    }

    /// Charges `bytes` already allocated (a list built from values that exist), without a check: the next
    /// allocation that does not fit fails instead.
    public func charge(_ bytes: Int) {
        state.withLock { s in
            s.inUse += bytes
            s.peak = Swift.max(s.peak, s.inUse)
        }
    }

    /// Returns `bytes` charged earlier.
    public func release(_ bytes: Int) { state.withLock { $0.inUse -= bytes } }

    /// `1.5 GiB`, `12.0 MiB`, `300 B`.
    public static func formatBytes(_ b: Int) -> String {
        let d = Double(b)
        if d >= Double(1 << 30) { return String(format: "%.1f GiB", d / Double(1 << 30)) }
        if d >= Double(1 << 20) { return String(format: "%.1f MiB", d / Double(1 << 20)) }
        if d >= Double(1 << 10) { return String(format: "%.1f KiB", d / Double(1 << 10)) }
        return "\(b) B"
    }
}
