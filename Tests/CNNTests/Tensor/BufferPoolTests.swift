import Testing

@testable import CNN
@testable import StrideTestSupport

/// The pool's bookkeeping (no real memory: addresses are labels): a full pool makes room by dropping the sizes
/// used least recently, never the size being given back, and refuses a buffer larger than the whole pool.
@Suite struct BufferPoolTests {
    /// Gives `address` of `bytes` to `s` as `BufferPool.give` does, with a pool of `cap` bytes; returns the
    /// addresses evicted, or nil when the buffer was not kept.
    static func give(_ s: inout BufferPool.State, _ address: UInt, _ bytes: Int, cap: Int) -> [UInt]? {
        guard let evicted = s.makeRoom(bytes, keeping: bytes, cap: cap) else { return nil }
        s.free[bytes, default: []].append(address)
        s.pooled += bytes
        s.touch(bytes)
        return evicted
    }

    @Test func aFullPoolDropsTheLeastRecentlyUsedSizes() throws {
        var s = BufferPool.State()
        let cap = 100
        #expect(Self.give(&s, 1, 40, cap: cap) == [])  // size 40, used first
        #expect(Self.give(&s, 2, 30, cap: cap) == [])
        #expect(Self.give(&s, 3, 30, cap: cap) == [])
        #expect(s.pooled == 100)
        // a new size: the oldest size (40) goes
        #expect(Self.give(&s, 4, 20, cap: cap) == [1])
        #expect(s.pooled == 80 && s.free[40] == nil)
        // taking a 30 makes 30 the most recent size
        s.free[30]?.removeLast()
        s.pooled -= 30
        s.touch(30)
        #expect(Self.give(&s, 5, 60, cap: cap) == [4])  // 20 is now the least recent
        #expect(s.pooled == 90 && s.free[20] == nil && s.free[30] == [2])
        // the size being given is never evicted to make room for itself, and one larger than the pool is refused
        #expect(Self.give(&s, 6, 60, cap: cap) == nil)
        #expect(s.free[30] == [2] && s.free[60] == [5] && s.pooled == 90)  // nothing evicted in vain
        #expect(Self.give(&s, 7, 101, cap: cap) == nil)
    }
}
