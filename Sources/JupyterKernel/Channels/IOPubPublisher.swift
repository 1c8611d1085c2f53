import Foundation
import Synchronization
import CZeroMQ

/// Owns the iopub XPUB socket on its own OS thread. Any thread may `publish`; the thread
/// sends queued messages in order, answers each subscription with `iopub_welcome`, and
/// calls `tick` about every 50 ms (stream flushing).
final class IOPubPublisher: @unchecked Sendable {
    let socket: ZMQSocket
    let codec: WireCodec
    let session: String
    private let queue = Mutex<[[Data]]>([])
    private let cond = NSCondition()
    private var inFlight = 0
    private var pipeFDs: [Int32] = [0, 0]
    var tick: (() -> Void)?
    private var running = true

    init(socket: ZMQSocket, codec: WireCodec, session: String) {
        self.socket = socket; self.codec = codec; self.session = session
        socket.setInt(ZMQ_XPUB_VERBOSE, 1)
        _ = pipe(&pipeFDs)
        _ = fcntl(pipeFDs[0], F_SETFL, O_NONBLOCK)
    }

    func start() {
        let t = Thread { [self] in loop() }
        t.name = "stride-iopub"
        t.start()
    }

    /// Queues an encoded message (topic frame first) for iopub.
    func enqueue(_ frames: [Data]) {
        cond.lock(); inFlight += 1; cond.unlock()
        queue.withLock { $0.append(frames) }
        var b: UInt8 = 1
        _ = write(pipeFDs[1], &b, 1)
    }

    /// Blocks until everything published so far has been handed to ZeroMQ.
    func flush() {
        cond.lock()
        while inFlight > 0 { _ = cond.wait(until: Date().addingTimeInterval(0.05)) }
        cond.unlock()
    }

    private func loop() {
        var buf = [UInt8](repeating: 0, count: 256)
        var lastTick = Date()
        while running {
            let (sock, fd) = socket.poll(timeoutMs: 50, fd: pipeFDs[0])
            if sock {
                while let frames = socket.recvMultipart(dontWait: true) {
                    // subscription: 0x01 + topic
                    if let f = frames.first, f.first == 1 {
                        let topic = String(decoding: f.dropFirst(), as: UTF8.self)
                        let msg =
                            [Data("iopub_welcome".utf8)]
                            + codec.encode(
                                identities: [], header: Header(msgType: "iopub_welcome", session: session), parent: [:],
                                content: ["subscription": .string(topic)])
                        socket.sendMultipart(msg)
                    }
                }
            }
            if fd { while read(pipeFDs[0], &buf, buf.count) > 0 {} }
            if Date().timeIntervalSince(lastTick) >= 0.05 { tick?(); lastTick = Date() }
            let batch = queue.withLock { q -> [[Data]] in
                let b = q; q.removeAll(); return b
            }
            for frames in batch { socket.sendMultipart(frames) }
            if !batch.isEmpty {
                cond.lock(); inFlight -= batch.count; cond.broadcast(); cond.unlock()
            }
        }
        socket.close()
    }
}
