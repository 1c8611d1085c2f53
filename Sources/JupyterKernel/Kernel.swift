public import Foundation
import Synchronization

/// The kernel: the shell thread's half (the interpreter, the execution counter, the history) over a
/// `KernelShared` half that the control thread, signal handlers and the running cell's context use. The kernel
/// is owned by the thread that calls `run()` and is not `Sendable`: the control thread holds only `shared`
/// and acts on the shell thread's state by setting its flags (interrupt, shutdown, restart), which the
/// shell thread carries out between requests.
public final class Kernel {
    /// What other threads may use: the transport, output, flags and `interrupt()`.
    public let shared: KernelShared
    let interpreter: any KernelInterpreter
    var executionCount = 0
    var history = HistoryStore()

    /// A kernel over any transport; `key` signs messages (HMAC-SHA256) as the connection file says.
    public init(
        transport: any KernelTransport, key: String, session: String? = nil, interpreter: any KernelInterpreter
    ) {
        let info = KernelInfoReply(
            implementationVersion: interpreter.implementationVersion, languageInfo: interpreter.languageInfo,
            banner: interpreter.banner,
            helpLinks: [.init(text: "Stride language", url: "https://github.com/stride-kernel/stride#readme")])
        shared = KernelShared(
            codec: WireCodec(signer: Signer(key: key)), transport: transport,
            session: session ?? UUID().uuidString.lowercased(), info: info, interrupt: interpreter.interruptHandle)
        self.interpreter = interpreter
    }

    /// A kernel on the ZeroMQ sockets of a connection file (bound before this returns).
    public convenience init(connection: ConnectionInfo, interpreter: any KernelInterpreter) throws {
        guard connection.key.isEmpty || connection.signature_scheme == "hmac-sha256" else {
            throw KernelError(
                "the connection file asks for signature scheme '\(connection.signature_scheme)'; Stride signs with "
                    + "hmac-sha256")
        }
        let session = UUID().uuidString.lowercased()
        let codec = WireCodec(signer: Signer(key: connection.key))
        let transport = try ZMQTransport(connection: connection, codec: codec, session: session)
        self.init(transport: transport, key: connection.key, session: session, interpreter: interpreter)
    }

    /// Messages that failed to decode (logged and dropped), for tests and logs.
    public var droppedMessages: Int { shared.droppedMessages }
    var shutdownRequested: Bool { shared.shutdownRequested }

    /// Serves until a shutdown request; returns so the caller can exit.
    public func run() {
        let shared = shared
        shared.transport.start { shared.flushStreams() }
        let ctl = Thread { shared.serveControl() }
        ctl.name = "stride-control"
        ctl.start()
        while !shutdownRequested {
            applyPendingRestart()
            guard let frames = shared.transport.receive(on: .shell, timeoutMs: 200) else { continue }
            handle(frames, on: .shell)
        }
        shared.transport.flushPublished()
    }

    /// Decodes, dispatches and answers one request (shell handlers on shell, control handlers on control);
    /// a bad message is logged and dropped.
    public func handle(_ frames: [Data], on channel: Channel) {
        guard let msg = shared.decode(frames, on: channel) else { return }
        dispatch(msg, on: channel)
    }

    func dispatch(_ msg: Message, on channel: Channel) {
        if channel == .control {
            shared.dispatch(msg, on: channel, owner: shared, table: KernelShared.controlHandlers)
        } else {
            shared.dispatch(msg, on: channel, owner: self, table: Self.shellHandlers)
        }
    }

    /// A restart asked for on control: the session and history are cleared here, on the shell thread.
    func applyPendingRestart() {
        guard shared.restartPending.exchange(false, ordering: .relaxed) else { return }
        interpreter.reset()
        history.clear()
        executionCount = 0
    }
}
