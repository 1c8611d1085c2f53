public import Foundation
import Synchronization

/// The kernel: the handler tables and the protocol state, over a transport. Control runs on its own OS thread,
/// shell on the caller's; iopub and heartbeat belong to the transport.
///
/// State has one owner each: the execution counter and history are touched only by the shell thread (a restart
/// requested on control is carried out by the shell thread between requests); the output buffer, the interrupt
/// flag and the shutdown flag are shared and guarded (`Mutex`, `Atomic`).
public final class Kernel: @unchecked Sendable {
    let codec: WireCodec
    let interpreter: any KernelInterpreter
    let transport: any KernelTransport
    let session: String
    // shell thread only
    var executionCount = 0
    var history = HistoryStore()
    // shared
    let output = Mutex(OutputState())
    let shutdownFlag = Atomic<Bool>(false)
    let restartPending = Atomic<Bool>(false)
    let interruptFlag = Atomic<Bool>(false)
    let dropped = Atomic<Int>(0)

    /// Messages that failed to decode (logged and dropped), for tests and logs.
    public var droppedMessages: Int { dropped.load(ordering: .relaxed) }
    var shutdownRequested: Bool { shutdownFlag.load(ordering: .relaxed) }

    struct OutputState {
        var throttle = OutputThrottle()
        var parent: JSONValue = [:]
    }

    /// A kernel over any transport; `key` and `scheme` sign messages as the connection file says.
    public init(
        transport: any KernelTransport, key: String, scheme: String = "hmac-sha256", session: String? = nil,
        interpreter: any KernelInterpreter
    ) {
        codec = WireCodec(signer: Signer(key: key, scheme: scheme))
        self.transport = transport
        self.interpreter = interpreter
        self.session = session ?? UUID().uuidString.lowercased()
    }

    /// A kernel on the ZeroMQ sockets of a connection file (bound before this returns).
    public convenience init(connection: ConnectionInfo, interpreter: any KernelInterpreter) throws {
        let session = UUID().uuidString.lowercased()
        let codec = WireCodec(signer: Signer(key: connection.key, scheme: connection.signature_scheme))
        let transport = try ZMQTransport(connection: connection, codec: codec, session: session)
        self.init(
            transport: transport, key: connection.key, scheme: connection.signature_scheme, session: session,
            interpreter: interpreter)
    }

    func log(_ s: String) { FileHandle.standardError.write(Data("[stride kernel] \(s)\n".utf8)) }

    /// Serves until a shutdown request; returns so the caller can exit.
    public func run() {
        transport.start { [unowned self] in self.flushStreams() }
        let ctl = Thread { [unowned self] in self.serve(.control) }
        ctl.name = "stride-control"
        ctl.start()
        serve(.shell)
        transport.flushPublished()
    }

    func serve(_ channel: Channel) {
        while !shutdownRequested {
            if channel == .shell { applyPendingRestart() }
            guard let frames = transport.receive(on: channel, timeoutMs: 200) else { continue }
            handle(frames, on: channel)
        }
    }

    /// Decodes, dispatches and answers one request; a bad message is logged and dropped.
    public func handle(_ frames: [Data], on channel: Channel) {
        let msg: Message
        do {
            msg = try codec.decode(frames)
        } catch {
            dropped.add(1, ordering: .relaxed)
            log("dropped a message on \(channel): \(error)")
            return
        }
        dispatch(msg, on: channel)
    }

    /// A restart asked for on control: the session and history are cleared here, on the shell thread.
    func applyPendingRestart() {
        guard restartPending.exchange(false, ordering: .relaxed) else { return }
        interpreter.reset()
        history.clear()
        executionCount = 0
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
}
