import Foundation

/// One message type is one handler plus one table line. The dispatcher owns the cross-cutting rules: busy
/// before, idle after, parent headers, a handler's thrown error becoming an error reply, unknown types logged.
typealias Handler = @Sendable (Kernel, Message, Channel) throws -> Void

extension Kernel {
    static let shellHandlers: [String: Handler] = [
        "kernel_info_request": { k, m, c in k.kernelInfo(m, c) },
        "execute_request": { k, m, c in try k.execute(m, c) },
        "complete_request": { k, m, c in try k.complete(m, c) },
        "inspect_request": { k, m, c in try k.inspect(m, c) },
        "is_complete_request": { k, m, c in try k.isComplete(m, c) },
        "history_request": { k, m, c in try k.historyRequest(m, c) },
        "comm_info_request": { k, m, c in k.reply(to: m, on: c, "comm_info_reply", CommInfoReply()) },
        "shutdown_request": { k, m, c in try k.shutdown(m, c) },
        "interrupt_request": { k, m, c in k.interrupt(m, c) },
    ]
    static let controlHandlers: [String: Handler] = [
        "kernel_info_request": { k, m, c in k.kernelInfo(m, c) },
        "shutdown_request": { k, m, c in try k.shutdown(m, c) },
        "interrupt_request": { k, m, c in k.interrupt(m, c) },
    ]

    func dispatch(_ msg: Message, on channel: Channel) {
        let table = channel == .control ? Self.controlHandlers : Self.shellHandlers
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
            try handler(self, msg, channel)
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
