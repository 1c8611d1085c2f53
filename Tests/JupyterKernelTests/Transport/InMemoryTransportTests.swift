import Foundation
import Testing

@testable import JupyterKernel
@testable import StrideTestSupport

/// The in-memory twin of the ZeroMQ transport: what is delivered is received in order, per channel, and what
/// is sent or published is kept for the test to read.
@Suite struct InMemoryTransportTests {
    @Test func deliveredFramesArriveInOrderPerChannel() {
        let t = InMemoryTransport()
        t.deliver([Data("a".utf8)], to: .shell)
        t.deliver([Data("b".utf8)], to: .control)
        t.deliver([Data("c".utf8)], to: .shell)
        #expect(t.receive(on: .shell, timeoutMs: 0) == [Data("a".utf8)])
        #expect(t.receive(on: .control, timeoutMs: 0) == [Data("b".utf8)])
        #expect(t.receive(on: .shell, timeoutMs: 0) == [Data("c".utf8)])
        #expect(t.receive(on: .shell, timeoutMs: 0) == nil)
    }

    @Test func sentAndPublishedFramesAreKeptUntilCleared() {
        let t = InMemoryTransport()
        t.send([Data("reply".utf8)], on: .shell)
        t.publish([Data("topic".utf8), Data("msg".utf8)])
        #expect(t.sent(on: .shell) == [[Data("reply".utf8)]])
        #expect(t.published.count == 1)
        t.clear()
        #expect(t.sent(on: .shell).isEmpty && t.published.isEmpty)
    }
}
