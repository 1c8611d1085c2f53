import CZeroMQ
public import Foundation

/// The kernel's five ZeroMQ sockets, bound to the ports of a connection file: ROUTER sockets for shell,
/// control and stdin, an XPUB socket for iopub (on its own thread, `IOPubPublisher`) and a REP socket that
/// echoes heartbeats (`Heartbeat`).
public final class ZMQTransport: KernelTransport, @unchecked Sendable {
    let context: ZMQContext
    let shell: ZMQSocket, control: ZMQSocket, stdin: ZMQSocket
    let iopub: IOPubPublisher
    let heartbeat: Heartbeat

    /// Binds every socket; `codec` and `session` sign iopub's welcome messages.
    public init(connection: ConnectionInfo, codec: WireCodec, session: String) throws {
        context = try ZMQContext()
        shell = try ZMQSocket(context, type: ZMQ_ROUTER)
        control = try ZMQSocket(context, type: ZMQ_ROUTER)
        stdin = try ZMQSocket(context, type: ZMQ_ROUTER)
        let pub = try ZMQSocket(context, type: ZMQ_XPUB)
        let hb = try ZMQSocket(context, type: ZMQ_REP)
        try shell.bind(connection.endpoint(connection.shell_port))
        try control.bind(connection.endpoint(connection.control_port))
        try stdin.bind(connection.endpoint(connection.stdin_port))
        try pub.bind(connection.endpoint(connection.iopub_port))
        try hb.bind(connection.endpoint(connection.hb_port))
        iopub = IOPubPublisher(socket: pub, codec: codec, session: session)
        heartbeat = Heartbeat(socket: hb)
    }

    func socket(_ channel: Channel) -> ZMQSocket {
        switch channel {
        case .shell: shell
        case .control: control
        case .stdin: stdin
        }
    }

    public func receive(on channel: Channel, timeoutMs: Int) -> [Data]? {
        let s = socket(channel)
        guard s.poll(timeoutMs: timeoutMs).socket else { return nil }
        return s.recvMultipart(dontWait: true)
    }

    public func send(_ frames: [Data], on channel: Channel) { socket(channel).sendMultipart(frames) }
    public func publish(_ frames: [Data]) { iopub.enqueue(frames) }
    public func flushPublished() { iopub.flush() }

    public func start(tick: @escaping @Sendable () -> Void) {
        iopub.tick = tick
        iopub.start()
        heartbeat.start()
    }

}
