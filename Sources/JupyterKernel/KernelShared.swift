import Foundation
import Synchronization

/// The half of the kernel that every thread may use, `Sendable` by construction: the transport and signing,
/// the buffered output, the kernel's static description, and the flags through which the control thread and
/// signal handlers act on the shell thread (interrupt, shutdown, restart) instead of writing its state.
public final class KernelShared: Sendable {
    let codec: WireCodec
    let transport: any KernelTransport
    let session: String
    let info: KernelInfoReply
    let interruptInterpreter: @Sendable () -> Void
    let output = Mutex(OutputState())
    let shutdownFlag = Atomic<Bool>(false)
    let restartPending = Atomic<Bool>(false)
    let interruptFlag = Atomic<Bool>(false)
    let dropped = Atomic<Int>(0)

    struct OutputState {
        var throttle = OutputThrottle()
        var parent: JSONValue = [:]
    }

    init(
        codec: WireCodec, transport: any KernelTransport, session: String, info: KernelInfoReply,
        interrupt: @escaping @Sendable () -> Void
    ) {
        self.codec = codec
        self.transport = transport
        self.session = session
        self.info = info
        self.interruptInterpreter = interrupt
    }

    /// Messages that failed to decode (logged and dropped), for tests and logs.
    public var droppedMessages: Int { dropped.load(ordering: .relaxed) }
    var shutdownRequested: Bool { shutdownFlag.load(ordering: .relaxed) }
    func interruptPending() -> Bool { interruptFlag.load(ordering: .relaxed) }

    /// Interrupts the running cell (SIGINT or interrupt_request); safe from any thread, harmless when idle.
    public func interrupt() {
        interruptFlag.store(true, ordering: .relaxed)
        interruptInterpreter()
    }

    func log(_ s: String) { FileHandle.standardError.write(Data("[stride kernel] \(s)\n".utf8)) }

    /// Decodes one message, or logs and counts it as dropped.
    func decode(_ frames: [Data], on channel: Channel) -> Message? {
        do {
            return try codec.decode(frames)
        } catch {
            dropped.add(1, ordering: .relaxed)
            log("dropped a message on \(channel): \(error)")
            return nil
        }
    }

    // MARK: Sending

    func reply<Content: Encodable>(to msg: Message, on channel: Channel, _ type: String, _ content: Content) {
        let frames = codec.encode(
            identities: msg.identities, header: Header(msgType: type, session: session), parent: msg.header,
            content: content)
        transport.send(frames, on: channel)
    }

    func publish<Content: Encodable>(_ type: String, parent: JSONValue, _ content: Content) {
        let frames =
            [Data(type.utf8)]
            + codec.encode(
                identities: [], header: Header(msgType: type, session: session), parent: parent, content: content)
        transport.publish(frames)
    }

    func status(_ state: String, parent: JSONValue) {
        publish("status", parent: parent, StatusContent(executionState: state))
    }

    /// Sends buffered stream output now.
    func flushStreams() {
        let (items, parent) = output.withLock { s in (s.throttle.drain(), s.parent) }
        for (name, text) in items where !text.isEmpty {
            publish("stream", parent: parent, StreamContent(name: name, text: text))
        }
    }

    // MARK: Control

    /// Serves the control channel until shutdown; runs on its own thread and touches only this half.
    func serveControl() {
        while !shutdownRequested {
            guard let frames = transport.receive(on: .control, timeoutMs: 200) else { continue }
            guard let msg = decode(frames, on: .control) else { continue }
            dispatch(msg, on: .control, owner: self, table: Self.controlHandlers)
        }
    }

    /// The cross-cutting rules of every handler: busy before, idle after, parent headers, a thrown error
    /// becoming an error reply, unknown types logged (and answered when they are requests).
    func dispatch<Owner>(
        _ msg: Message, on channel: Channel, owner: Owner,
        table: [String: @Sendable (Owner, Message, Channel) throws -> Void]
    ) {
        let replyType = msg.msgType.hasSuffix("_request") ? String(msg.msgType.dropLast(8)) + "_reply" : nil
        guard let handler = table[msg.msgType] else {
            log("unknown message type '\(msg.msgType)' on \(channel); ignored")
            if let replyType {
                status("busy", parent: msg.header)
                reply(
                    to: msg, on: channel, replyType,
                    ErrorReply(ename: "UnknownMessageType", evalue: "stride does not handle \(msg.msgType)"))
                status("idle", parent: msg.header)
            }
            return
        }
        status("busy", parent: msg.header)
        do {
            try handler(owner, msg, channel)
        } catch {
            log("\(msg.msgType) failed: \(error)")
            if let replyType {
                let ename = error is BadRequest ? "BadRequest" : "KernelError"
                reply(to: msg, on: channel, replyType, ErrorReply(ename: ename, evalue: "\(error)"))
            }
        }
        status("idle", parent: msg.header)
    }
}
