import Foundation
/// One message type is one handler plus one table line. The dispatcher owns the
/// cross-cutting rules: busy before, idle after, parent headers, any handler failure
/// becoming an error reply, unknown types logged.
typealias Handler = @Sendable (Kernel, Message, ZMQSocket, Channel) -> Void

extension Kernel {
    static let shellHandlers: [String: Handler] = [
        "kernel_info_request": { k, m, s, _ in k.kernelInfo(m, s) },
        "execute_request": { k, m, s, _ in k.execute(m, s) },
        "complete_request": { k, m, s, _ in k.complete(m, s) },
        "inspect_request": { k, m, s, _ in k.inspect(m, s) },
        "is_complete_request": { k, m, s, _ in k.isComplete(m, s) },
        "history_request": { k, m, s, _ in k.historyRequest(m, s) },
        "comm_info_request": { k, m, s, _ in k.reply(s, to: m, "comm_info_reply", ["status": "ok", "comms": [:]]) },
        "shutdown_request": { k, m, s, _ in k.shutdown(m, s) },
        "interrupt_request": { k, m, s, _ in k.interrupt(m, s) },
    ]
    static let controlHandlers: [String: Handler] = [
        "kernel_info_request": { k, m, s, _ in k.kernelInfo(m, s) },
        "shutdown_request": { k, m, s, _ in k.shutdown(m, s) },
        "interrupt_request": { k, m, s, _ in k.interrupt(m, s) },
    ]

    func dispatch(_ msg: Message, socket: ZMQSocket, channel: Channel) {
        let table = channel == .shell ? Self.shellHandlers : Self.controlHandlers
        guard let handler = table[msg.msgType] else {
            log("unknown message type '\(msg.msgType)' on \(channel); ignored")
            if msg.msgType.hasSuffix("_request") {
                status("busy", parent: msg.header)
                reply(socket, to: msg, msg.msgType.replacingOccurrences(of: "_request", with: "_reply"),
                      ["status": "error", "ename": "UnknownMessageType", "evalue": .string("stride does not handle \(msg.msgType)"), "traceback": []])
                status("idle", parent: msg.header)
            }
            return
        }
        status("busy", parent: msg.header)
        handler(self, msg, socket, channel)
        status("idle", parent: msg.header)
    }
}
