import Synchronization

/// Size-keyed free lists of large buffers. Fresh pages cost ~2.5 µs per 4 KiB to fault in, which
/// dominates small convolutions; training loops allocate the same sizes every step, so reusing exact
/// sizes removes nearly all of it.
public enum BufferPool {
    static let minPooledBytes = 1 << 16
    static let capBytes = 1 << 30

    struct State {
        var free: [Int: [UInt]] = [:]  // addresses as bit patterns
        var pooled = 0
    }

    static let state = Mutex(State())

    static func take(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minPooledBytes,
            let a = state.withLock({ s -> UInt? in
                guard var list = s.free[bytes], let p = list.popLast() else { return nil }
                s.free[bytes] = list
                s.pooled -= bytes
                return p
            }),
            let p = UnsafeMutableRawPointer(bitPattern: a)
        {
            return p
        }
        return UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes, 1), alignment: 64)
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

    /// Bytes held in the free lists.
    public static var pooledBytes: Int { state.withLock { $0.pooled } }

    /// Returns every pooled buffer to the system (used by `%reset`).
    public static func drain() {
        let all = state.withLock { s -> [UInt] in
            let ps = s.free.values.flatMap { $0 }
            s.free = [:]
            s.pooled = 0
            return ps
        }
        for a in all { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
    }
}
