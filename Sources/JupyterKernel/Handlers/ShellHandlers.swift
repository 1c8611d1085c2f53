import Synchronization
import Foundation

extension Kernel {
    func kernelInfo(_ msg: Message, _ socket: ZMQSocket) {
        reply(socket, to: msg, "kernel_info_reply", [
            "status": "ok", "protocol_version": "5.5", "implementation": "stride",
            "implementation_version": .string(interpreter.implementationVersion),
            "language_info": interpreter.languageInfo, "banner": .string(interpreter.banner),
            "help_links": [["text": "Stride language", "url": "https://github.com/stride-kernel/stride#readme"]],
            "debugger": false, "supported_features": [],
        ])
    }

    func complete(_ msg: Message, _ socket: ZMQSocket) {
        let code = msg.content["code"]?.string ?? ""
        let cursor = msg.content["cursor_pos"]?.int ?? code.unicodeScalars.count
        let r = interpreter.complete(code: code, cursor: cursor)
        let types: [JSONValue] = zip(r.matches, r.types).map { ["start": .int(r.cursorStart), "end": .int(r.cursorEnd), "text": .string($0.0), "type": .string($0.1)] }
        reply(socket, to: msg, "complete_reply", ["status": "ok", "matches": .array(r.matches.map { .string($0) }),
                                                  "cursor_start": .int(r.cursorStart), "cursor_end": .int(r.cursorEnd),
                                                  "metadata": ["_jupyter_types_experimental": .array(types)]])
    }

    func inspect(_ msg: Message, _ socket: ZMQSocket) {
        let code = msg.content["code"]?.string ?? ""
        let cursor = msg.content["cursor_pos"]?.int ?? code.unicodeScalars.count
        let detail = msg.content["detail_level"]?.int ?? 0
        if let b = interpreter.inspect(code: code, cursor: cursor, detail: detail) {
            reply(socket, to: msg, "inspect_reply", ["status": "ok", "found": true, "data": .object(b.data), "metadata": .object(b.metadata)])
        } else {
            reply(socket, to: msg, "inspect_reply", ["status": "ok", "found": false, "data": [:], "metadata": [:]])
        }
    }

    func isComplete(_ msg: Message, _ socket: ZMQSocket) {
        let code = msg.content["code"]?.string ?? ""
        switch interpreter.isComplete(code: code) {
        case .complete: reply(socket, to: msg, "is_complete_reply", ["status": "complete"])
        case .incomplete(let indent): reply(socket, to: msg, "is_complete_reply", ["status": "incomplete", "indent": .string(indent)])
        case .invalid: reply(socket, to: msg, "is_complete_reply", ["status": "invalid"])
        case .unknown: reply(socket, to: msg, "is_complete_reply", ["status": "unknown"])
        }
    }

    func historyRequest(_ msg: Message, _ socket: ZMQSocket) {
        let c = msg.content
        let output = c["output"]?.bool ?? false
        let entries: [HistoryStore.Entry]
        switch c["hist_access_type"]?.string ?? "tail" {
        case "range": entries = history.range(session: c["session"]?.int ?? 0, start: c["start"]?.int ?? 0, stop: c["stop"]?.int)
        case "search": entries = history.search(pattern: c["pattern"]?.string ?? "*", n: c["n"]?.int, unique: c["unique"]?.bool ?? false)
        default: entries = history.tail(c["n"]?.int ?? 10)
        }
        let rows: [JSONValue] = entries.map { e in
            output ? [.int(e.session), .int(e.line), [.string(e.input), e.output.map { .string($0) } ?? .null]] : [.int(e.session), .int(e.line), .string(e.input)]
        }
        reply(socket, to: msg, "history_reply", ["status": "ok", "history": .array(rows)])
    }

    func shutdown(_ msg: Message, _ socket: ZMQSocket) {
        let restart = msg.content["restart"]?.bool ?? false
        interpreter.interrupt()
        reply(socket, to: msg, "shutdown_reply", ["status": "ok", "restart": .bool(restart)])
        status("idle", parent: msg.header)
        iopub.flush()
        shutdownRequested = true
        if restart { interpreter.reset(); history.clear(); executionCount = 0 }
    }

    func interrupt(_ msg: Message, _ socket: ZMQSocket) {
        interruptFlag.store(true, ordering: .relaxed)
        interpreter.interrupt()
        reply(socket, to: msg, "interrupt_reply", ["status": "ok"])
    }

    /// Called from a signal source (SIGINT): same as an interrupt_request.
    public func interruptFromSignal() {
        interruptFlag.store(true, ordering: .relaxed)
        interpreter.interrupt()
    }
}
