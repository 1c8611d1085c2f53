import Dispatch
import Synchronization

/// Size-keyed free lists of large buffers. Fresh pages cost ~2.5 µs per 4 KiB to fault in, which
/// dominates small convolutions; training loops allocate the same sizes every step, so reusing exact
/// sizes removes nearly all of it. When the pool is full, the sizes used least recently are given back to
/// the system to make room (earlier work's sizes must not keep today's out: a full pool of stale sizes made
/// every later buffer fresh pages, and a training step half again as slow).
public enum BufferPool {
    static let minPooledBytes = 1 << 16
    static let capBytes = 1 << 30

    struct State {
        var free: [Int: [UInt]] = [:]  // addresses as bit patterns
        var pooled = 0
        /// When each size was last taken or given (a counter), for evicting the least recently used.
        var lastUse: [Int: Int] = [:]
        var clock = 0

        mutating func touch(_ bytes: Int) {
            clock &+= 1
            lastUse[bytes] = clock
        }

        /// Removes the least recently used sizes (never `keeping`) until `bytes` more fit; returns the
        /// buffers removed, for the caller to free outside the lock. Nil if they cannot fit.
        mutating func makeRoom(_ bytes: Int, keeping: Int, cap: Int = BufferPool.capBytes) -> [UInt]? {
            // what stays whatever is evicted: the buffers of the size being given back
            guard (free[keeping]?.count ?? 0) * keeping + bytes <= cap else { return nil }
            var evicted: [UInt] = []
            while pooled + bytes > cap {
                guard
                    let (size, _) = lastUse.filter({ $0.key != keeping && free[$0.key] != nil }).min(by: {
                        $0.value < $1.value
                    })
                else { return nil }
                let list = free.removeValue(forKey: size) ?? []
                lastUse[size] = nil
                pooled -= size * list.count
                evicted += list
            }
            return evicted
        }
    }

    static let state = Mutex(State())

    static func take(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= minPooledBytes,
            let a = state.withLock({ s -> UInt? in
                guard var list = s.free[bytes], let p = list.popLast() else { return nil }
                s.free[bytes] = list.isEmpty ? nil : list
                s.pooled -= bytes
                s.touch(bytes)
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
            let (kept, evicted) = state.withLock { s -> (Bool, [UInt]) in
                guard let evicted = s.makeRoom(bytes, keeping: bytes) else { return (false, []) }
                s.free[bytes, default: []].append(UInt(bitPattern: p))
                s.pooled += bytes
                s.touch(bytes)
                return (true, evicted)
            }
            if !evicted.isEmpty {
                // unmapping hundreds of megabytes takes tens of milliseconds: not on the thread that runs the
                // cell (an interrupted cell's end waited for it)
                DispatchQueue.global(qos: .utility).async {
                    for a in evicted { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
                }
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
            s.lastUse = [:]
            s.pooled = 0
            return ps
        }
        for a in all { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
    }
}
