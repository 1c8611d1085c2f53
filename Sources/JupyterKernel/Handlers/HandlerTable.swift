import Foundation

/// One message type is one handler plus one table line; `KernelShared.dispatch` owns the cross-cutting rules.
/// Shell handlers run on the shell thread with the whole kernel; control handlers get only the shared half.
extension Kernel {
    static let shellHandlers: [String: @Sendable (Kernel, Message, Channel) throws -> Void] = [
        "kernel_info_request": { k, m, c in k.shared.kernelInfo(m, c) },
        "execute_request": { k, m, c in try k.execute(m, c) },
        "complete_request": { k, m, c in try k.complete(m, c) },
        "inspect_request": { k, m, c in try k.inspect(m, c) },
        "is_complete_request": { k, m, c in try k.isComplete(m, c) },
        "history_request": { k, m, c in try k.historyRequest(m, c) },
        "comm_info_request": { k, m, c in k.shared.reply(to: m, on: c, "comm_info_reply", CommInfoReply()) },
        "shutdown_request": { k, m, c in try k.shutdown(m, c) },
        "interrupt_request": { k, m, c in k.shared.interrupt(m, c) },
    ]
}

extension KernelShared {
    static let controlHandlers: [String: @Sendable (KernelShared, Message, Channel) throws -> Void] = [
        "kernel_info_request": { k, m, c in k.kernelInfo(m, c) },
        "shutdown_request": { k, m, c in try k.shutdown(m, c) },
        "interrupt_request": { k, m, c in k.interrupt(m, c) },
    ]
}
