import Foundation
import Synchronization
import CZeroMQ

/// Which socket a request came in on.
public enum Channel: Sendable { case shell, control }

/// The kernel: sockets, threads, the handler tables and the protocol state. Heartbeat,
/// control and iopub each run on their own OS thread; shell runs on the caller's thread.
public final class Kernel: @unchecked Sendable {
    let info: ConnectionInfo
    let codec: WireCodec
    let interpreter: any KernelInterpreter
    let ctx: ZMQContext
    let shell: ZMQSocket, control: ZMQSocket, stdin: ZMQSocket
    let iopub: IOPubPublisher
    let heartbeat: Heartbeat
    let session = UUID().uuidString.lowercased()
    var executionCount = 0
    var history = HistoryStore()
    let output = Mutex(OutputState())
    var shutdownRequested = false
    let interruptFlag = Atomic<Bool>(false)
    /// Messages that failed to decode (logged and dropped), for tests and logs.
    public internal(set) var droppedMessages = 0

    struct OutputState { var throttle = OutputThrottle(); var parent: JSONValue = [:] }

    public init(connection: ConnectionInfo, interpreter: any KernelInterpreter) throws {
        info = connection
        codec = WireCodec(signer: Signer(key: connection.key, scheme: connection.signature_scheme))
        self.interpreter = interpreter
        ctx = try ZMQContext()
        shell = try ZMQSocket(ctx, type: ZMQ_ROUTER)
        control = try ZMQSocket(ctx, type: ZMQ_ROUTER)
        stdin = try ZMQSocket(ctx, type: ZMQ_ROUTER)
        let pub = try ZMQSocket(ctx, type: ZMQ_XPUB)
        let hb = try ZMQSocket(ctx, type: ZMQ_REP)
        try shell.bind(connection.endpoint(connection.shell_port))
        try control.bind(connection.endpoint(connection.control_port))
        try stdin.bind(connection.endpoint(connection.stdin_port))
        try pub.bind(connection.endpoint(connection.iopub_port))
        try hb.bind(connection.endpoint(connection.hb_port))
        iopub = IOPubPublisher(socket: pub, codec: codec, session: session)
        heartbeat = Heartbeat(socket: hb)
        iopub.tick = { [unowned self] in self.flushStreams() }
    }

    func log(_ s: String) { FileHandle.standardError.write(Data("[stride kernel] \(s)\n".utf8)) }

    /// Serves until a shutdown request; returns so the caller can exit.
    public func run() {
        iopub.start()
        heartbeat.start()
        let ctl = Thread { [unowned self] in self.serve(self.control, .control) }
        ctl.name = "stride-control"
        ctl.start()
        serve(shell, .shell)
        iopub.flush()
    }

    func serve(_ socket: ZMQSocket, _ channel: Channel) {
        while !shutdownRequested {
            let (ready, _) = socket.poll(timeoutMs: 200)
            guard ready, let frames = socket.recvMultipart(dontWait: true) else { continue }
            handle(frames, socket: socket, channel: channel)
        }
    }

    /// Decodes, dispatches and answers one request; a bad message is logged and dropped.
    func handle(_ frames: [Data], socket: ZMQSocket, channel: Channel) {
        let msg: Message
        do { msg = try codec.decode(frames) } catch {
            droppedMessages += 1
            log("dropped a message on \(channel): \(error)")
            return
        }
        dispatch(msg, socket: socket, channel: channel)
    }

    // MARK: Sending
    func reply(_ socket: ZMQSocket, to msg: Message, _ type: String, _ content: JSONValue, metadata: JSONValue = [:]) {
        let frames = codec.encode(identities: msg.identities, header: Header(msgType: type, session: session), parent: msg.header, metadata: metadata, content: content)
        socket.sendMultipart(frames)
    }
    func publish(_ type: String, parent: JSONValue, _ content: JSONValue) { iopub.publish(type, parent: parent, content: content) }
    func status(_ state: String, parent: JSONValue) { publish("status", parent: parent, ["execution_state": .string(state)]) }

    /// Sends buffered stream output now.
    func flushStreams() {
        let (items, parent) = output.withLock { s in (s.throttle.drain(), s.parent) }
        for (name, text) in items where !text.isEmpty {
            publish("stream", parent: parent, ["name": .string(name), "text": .string(text)])
        }
    }
}
