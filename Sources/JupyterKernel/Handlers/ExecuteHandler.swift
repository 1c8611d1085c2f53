import Foundation
import Synchronization

/// The context a running cell publishes through: iopub for outputs, stdin for input.
final class KernelContext: ExecutionContext {
    let kernel: KernelShared
    let request: Message
    let allowStdin: Bool
    let silent: Bool
    var payloads: [JSONValue] = []
    init(kernel: KernelShared, request: Message, allowStdin: Bool, silent: Bool) {
        self.kernel = kernel
        self.request = request
        self.allowStdin = allowStdin
        self.silent = silent
    }

    func stream(_ name: String, _ text: String) {
        guard !silent else { return }
        let big = kernel.output.withLock { s -> Bool in
            s.parent = request.header
            s.throttle.write(name, text)
            return s.throttle.pending.reduce(0) { $0 + $1.text.utf8.count } > 64 * 1024
        }
        if big { kernel.flushStreams() }
    }

    func display(_ bundle: KernelBundle, id: String?, update: Bool) {
        guard !silent else { return }
        kernel.flushStreams()
        let content = DisplayDataContent(data: bundle.data, metadata: bundle.metadata, transient: .init(displayID: id))
        kernel.publish(update ? "update_display_data" : "display_data", parent: request.header, content)
    }

    func clearOutput(wait: Bool) {
        guard !silent else { return }
        kernel.flushStreams()
        kernel.publish("clear_output", parent: request.header, ClearOutputContent(wait: wait))
    }

    func page(_ text: String) {
        payloads.append(["source": "page", "data": ["text/plain": .string(text)], "start": 0])
    }

    func askExit() {
        payloads.append(["source": "ask_exit", "keepkernel": false])
    }

    func input(prompt: String, password: Bool) throws -> String {
        guard allowStdin else {
            throw KernelError("input() is not available: this front end does not accept input (allow_stdin is false)")
        }
        kernel.flushStreams()
        kernel.transport.flushPublished()
        let frames = kernel.codec.encode(
            identities: request.identities, header: Header(msgType: "input_request", session: kernel.session),
            parent: request.header, content: InputRequest(prompt: prompt, password: password))
        kernel.transport.send(frames, on: .stdin)
        while true {
            if kernel.interruptPending() { throw KernelError("interrupted while waiting for input") }
            guard let reply = kernel.transport.receive(on: .stdin, timeoutMs: 100) else { continue }
            guard let m = try? kernel.codec.decode(reply), m.msgType == "input_reply",
                let value = try? m.decode(InputReply.self)
            else {
                kernel.log("dropped a bad message on stdin")
                continue
            }
            return value.value
        }
    }
}

extension Kernel {
    func execute(_ msg: Message, _ channel: Channel) throws {
        let request = try msg.decode(ExecuteRequest.self)
        let code = request.code
        let silent = request.silent ?? false
        let storeHistory = silent ? false : (request.storeHistory ?? true)
        if storeHistory { executionCount += 1 }
        let count = executionCount
        if !silent {
            shared.publish("execute_input", parent: msg.header, ExecuteInputContent(code: code, executionCount: count))
        }
        shared.interruptFlag.store(false, ordering: .relaxed)
        let ctx = KernelContext(kernel: shared, request: msg, allowStdin: request.allowStdin ?? true, silent: silent)
        shared.output.withLock { $0.parent = msg.header }
        let outcome = interpreter.execute(code: code, executionCount: count, context: ctx)
        shared.flushStreams()
        if let note = shared.output.withLock({ $0.throttle.finish() }), !silent {
            shared.publish("stream", parent: msg.header, StreamContent(name: "stderr", text: note))
        }
        let userExpressions = evaluate(request.userExpressions ?? [:])
        switch outcome {
        case .ok(let result):
            if let r = result, !silent {
                shared.publish(
                    "execute_result", parent: msg.header,
                    ExecuteResultContent(executionCount: count, data: r.data, metadata: r.metadata))
            }
            if storeHistory { history.append(line: count, input: code, output: result?.data["text/plain"]?.string) }
            shared.transport.flushPublished()
            shared.reply(
                to: msg, on: channel, "execute_reply",
                ExecuteReply(
                    status: "ok", executionCount: count, userExpressions: userExpressions, payload: ctx.payloads))
        case .error(let ename, let evalue, let traceback):
            if !silent {
                shared.publish(
                    "error", parent: msg.header, ErrorContent(ename: ename, evalue: evalue, traceback: traceback))
            }
            if storeHistory { history.append(line: count, input: code, output: nil) }
            // what is queued now, before the reply: a request the client sends after seeing the error runs
            let queued = request.stopOnError ?? true ? takeQueued(on: channel) : []
            shared.transport.flushPublished()
            shared.reply(
                to: msg, on: channel, "execute_reply",
                ExecuteReply(
                    status: "error", executionCount: count, userExpressions: userExpressions, payload: ctx.payloads,
                    ename: ename, evalue: evalue, traceback: traceback))
            abort(queued, on: channel)
        }
    }

    /// `user_expressions`: each evaluated without output or history.
    func evaluate(_ expressions: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (k, v) in expressions {
            guard let e = v.string else {
                out[k] = [
                    "status": "error", "ename": "TypeError", "evalue": "expression must be a string", "traceback": [],
                ]
                continue
            }
            switch interpreter.evaluate(expression: e) {
            case .success(let b): out[k] = ["status": "ok", "data": .object(b.data), "metadata": .object(b.metadata)]
            case .failure(let err):
                out[k] = ["status": "error", "ename": "Error", "evalue": .string(err.description), "traceback": []]
            }
        }
        return out
    }

    /// The requests already waiting on a channel (bad messages are counted and dropped).
    func takeQueued(on channel: Channel) -> [Message] {
        var queued: [Message] = []
        while let frames = shared.transport.receive(on: channel, timeoutMs: 0) {
            if let m = shared.decode(frames, on: channel) { queued.append(m) }
        }
        return queued
    }

    /// After an error: the execute requests that were queued are answered `aborted`; other requests run.
    func abort(_ queued: [Message], on channel: Channel) {
        for m in queued {
            if m.msgType == "execute_request" {
                shared.status("busy", parent: m.header)
                shared.reply(
                    to: m, on: channel, "execute_reply",
                    ExecuteReply(
                        status: "aborted", executionCount: executionCount, userExpressions: [:], payload: []))
                shared.status("idle", parent: m.header)
            } else {
                dispatch(m, on: channel)
            }
        }
    }
}
