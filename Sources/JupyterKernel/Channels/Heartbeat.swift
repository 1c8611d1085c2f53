import CZeroMQ
import Foundation

/// Echoes heartbeat pings on its own OS thread, whatever the shell is doing.
final class Heartbeat: @unchecked Sendable {
    let socket: ZMQSocket
    init(socket: ZMQSocket) { self.socket = socket }
    func start() {
        let t = Thread { [self] in
            while true {
                guard let frames = socket.recvMultipart() else {
                    if zmq_errno() == ETERM { return }
                    continue
                }
                socket.sendMultipart(frames)
            }
        }
        t.name = "stride-heartbeat"
        t.start()
    }
}
