import CZeroMQ
import Foundation

/// A ZeroMQ context shared by the kernel's sockets.
final class ZMQContext: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    init() throws {
        guard let c = zmq_ctx_new() else { throw KernelError("zmq_ctx_new failed") }
        raw = c
    }
}

/// One ZeroMQ socket, used by one thread at a time.
final class ZMQSocket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    init(_ ctx: ZMQContext, type: Int32) throws {
        guard let s = zmq_socket(ctx.raw, type) else {
            throw KernelError("zmq_socket failed: \(String(cString: zmq_strerror(zmq_errno())))")
        }
        raw = s
        var linger: Int32 = 0
        zmq_setsockopt(raw, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }
    func setInt(_ opt: Int32, _ v: Int32) {
        var x = v
        zmq_setsockopt(raw, opt, &x, MemoryLayout<Int32>.size)
    }
    func bind(_ endpoint: String) throws {
        guard zmq_bind(raw, endpoint) == 0 else {
            throw KernelError("cannot bind \(endpoint): \(String(cString: zmq_strerror(zmq_errno())))")
        }
    }
    func connect(_ endpoint: String) throws {
        guard zmq_connect(raw, endpoint) == 0 else {
            throw KernelError("cannot connect \(endpoint): \(String(cString: zmq_strerror(zmq_errno())))")
        }
    }
    func close() { zmq_close(raw) }

    /// Receives one multipart message; nil on timeout or interruption.
    func recvMultipart(dontWait: Bool = false) -> [Data]? {
        var frames: [Data] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            let rc = zmq_msg_recv(&msg, raw, dontWait ? ZMQ_DONTWAIT : 0)
            if rc < 0 { return frames.isEmpty ? nil : frames }
            let size = zmq_msg_size(&msg)
            if let p = zmq_msg_data(&msg) { frames.append(Data(bytes: p, count: size)) } else { frames.append(Data()) }
            var more: Int32 = 0
            var len = MemoryLayout<Int32>.size
            zmq_getsockopt(raw, ZMQ_RCVMORE, &more, &len)
            if more == 0 { return frames }
        }
    }

    /// Sends a multipart message.
    @discardableResult
    func sendMultipart(_ frames: [Data]) -> Bool {
        for (i, f) in frames.enumerated() {
            let flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            let rc = f.withUnsafeBytes { p in zmq_send(raw, p.baseAddress, f.count, flags) }
            if rc < 0 { return false }
        }
        return true
    }

    /// Waits up to `timeoutMs` for input on this socket and optionally one file descriptor.
    func poll(timeoutMs: Int, fd: Int32? = nil) -> (socket: Bool, fd: Bool) {
        var items = [zmq_pollitem_t(socket: raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)]
        if let fd { items.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)) }
        let rc = zmq_poll(&items, Int32(items.count), timeoutMs)
        if rc <= 0 { return (false, false) }
        return (items[0].revents & Int16(ZMQ_POLLIN) != 0, items.count > 1 && items[1].revents & Int16(ZMQ_POLLIN) != 0)
    }
}
