import Testing
@testable import CNN
@testable import StrideTestSupport

/// Long chains of objects are freed without recursion on the stack.
@Suite struct DeferredReleaseTests {
    final class Link {
        var next: Link?
        static let freed = ThreadLocal { 0 }
        init(_ next: Link?) { self.next = next }
        deinit {
            Link.freed.box.value += 1
            var rest: [AnyObject] = next.map { [$0] } ?? []
            next = nil
            DeferredRelease.dispose(&rest)
        }
    }

    @Test func aMillionLinkChainIsFreedIteratively() {
        Link.freed.box.value = 0
        var head: Link? = nil
        for _ in 0..<1_000_000 { head = Link(head) }
        head = nil
        #expect(Link.freed.box.value == 1_000_000)
    }
}
