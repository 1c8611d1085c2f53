import Foundation
import Synchronization

extension Kernel {
    func complete(_ msg: Message, _ channel: Channel) throws {
        let request = try msg.decode(CodeAtCursor.self)
        let cursor = request.cursorPos ?? request.code.unicodeScalars.count
        let r = interpreter.complete(code: request.code, cursor: cursor)
        let typed = zip(r.matches, r.types).map {
            CompleteReply.TypedMatch(start: r.cursorStart, end: r.cursorEnd, text: $0.0, type: $0.1)
        }
        shared.reply(
            to: msg, on: channel, "complete_reply",
            CompleteReply(
                matches: r.matches, cursorStart: r.cursorStart, cursorEnd: r.cursorEnd, metadata: .init(types: typed)))
    }

    func inspect(_ msg: Message, _ channel: Channel) throws {
        let request = try msg.decode(CodeAtCursor.self)
        let cursor = request.cursorPos ?? request.code.unicodeScalars.count
        let bundle = interpreter.inspect(code: request.code, cursor: cursor, detail: request.detailLevel ?? 0)
        shared.reply(
            to: msg, on: channel, "inspect_reply",
            InspectReply(
                found: bundle != nil, data: bundle?.data ?? [:], metadata: bundle?.metadata ?? [:]))
    }

    func isComplete(_ msg: Message, _ channel: Channel) throws {
        let request = try msg.decode(IsCompleteRequest.self)
        let content: IsCompleteReply
        switch interpreter.isComplete(code: request.code) {
        case .complete: content = IsCompleteReply(status: "complete")
        case .incomplete(let indent): content = IsCompleteReply(status: "incomplete", indent: indent)
        case .invalid: content = IsCompleteReply(status: "invalid")
        case .unknown: content = IsCompleteReply(status: "unknown")
        }
        shared.reply(to: msg, on: channel, "is_complete_reply", content)
    }

    func historyRequest(_ msg: Message, _ channel: Channel) throws {
        let r = try msg.decode(HistoryRequest.self)
        let output = r.output ?? false
        let entries: [HistoryStore.Entry]
        switch r.histAccessType ?? "tail" {
        case "range": entries = history.range(session: r.session ?? 0, start: r.start ?? 0, stop: r.stop)
        case "search": entries = history.search(pattern: r.pattern ?? "*", n: r.n, unique: r.unique ?? false)
        default: entries = history.tail(r.n ?? 10)
        }
        let rows: [JSONValue] = entries.map { e in
            let input = JSONValue.string(e.input)
            let cell: JSONValue = output ? [input, e.output.map { .string($0) } ?? .null] : input
            return [.int(e.session), .int(e.line), cell]
        }
        shared.reply(to: msg, on: channel, "history_reply", HistoryReply(history: rows))
    }

    /// shutdown_request on shell: as on control, and a restart clears the session here at once.
    func shutdown(_ msg: Message, _ channel: Channel) throws {
        let restart = try shared.shutdown(msg, channel)
        if restart { applyPendingRestart() }
    }
}

extension KernelShared {
    func kernelInfo(_ msg: Message, _ channel: Channel) {
        reply(to: msg, on: channel, "kernel_info_reply", info)
    }

    /// Interrupts, answers and raises the shutdown flag; the process ends either way (a front end restarting a
    /// kernel starts a new process). A restart also clears the session, which the shell thread does.
    /// Returns whether a restart was asked for.
    @discardableResult
    func shutdown(_ msg: Message, _ channel: Channel) throws -> Bool {
        let restart = try msg.decode(ShutdownRequest.self).restart ?? false
        interruptInterpreter()
        reply(to: msg, on: channel, "shutdown_reply", ShutdownReply(restart: restart))
        status("idle", parent: msg.header)
        transport.flushPublished()
        if restart { restartPending.store(true, ordering: .relaxed) }
        shutdownFlag.store(true, ordering: .relaxed)
        return restart
    }

    func interrupt(_ msg: Message, _ channel: Channel) {
        interrupt()
        reply(to: msg, on: channel, "interrupt_reply", StatusReply())
    }
}
