import Synchronization
import Foundation

/// The context a running cell publishes through: iopub for outputs, stdin for input.
final class KernelContext: ExecutionContext {
    unowned let kernel: Kernel
    let request: Message
    let allowStdin: Bool
    let silent: Bool
    var payloads: [JSONValue] = []
    init(kernel: Kernel, request: Message, allowStdin: Bool, silent: Bool) {
        self.kernel = kernel; self.request = request; self.allowStdin = allowStdin; self.silent = silent
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
        var content: [String: JSONValue] = ["data": .object(bundle.data), "metadata": .object(bundle.metadata)]
        content["transient"] = id.map { ["display_id": .string($0)] } ?? [:]
        kernel.publish(update ? "update_display_data" : "display_data", parent: request.header, .object(content))
    }
    func clearOutput(wait: Bool) {
        guard !silent else { return }
        kernel.flushStreams()
        kernel.publish("clear_output", parent: request.header, ["wait": .bool(wait)])
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
        kernel.iopub.flush()
        let frames = kernel.codec.encode(identities: request.identities, header: Header(msgType: "input_request", session: kernel.session),
                                         parent: request.header, content: ["prompt": .string(prompt), "password": .bool(password)])
        kernel.stdin.sendMultipart(frames)
        while true {
            if kernel.interruptPending() { throw KernelError("interrupted while waiting for input") }
            let (ready, _) = kernel.stdin.poll(timeoutMs: 100)
            guard ready, let reply = kernel.stdin.recvMultipart(dontWait: true) else { continue }
            guard let m = try? kernel.codec.decode(reply), m.msgType == "input_reply" else { kernel.log("dropped a bad message on stdin"); continue }
            return m.content["value"]?.string ?? ""
        }
    }
}

extension Kernel {
    func interruptPending() -> Bool { interruptFlag.load(ordering: .relaxed) }

    func execute(_ msg: Message, _ socket: ZMQSocket) {
        let c = msg.content
        guard let code = c["code"]?.string else {
            reply(socket, to: msg, "execute_reply", ["status": "error", "ename": "BadRequest", "evalue": "execute_request needs a string 'code'",
                                                     "traceback": [], "execution_count": .int(executionCount)])
            return
        }
        let silent = c["silent"]?.bool ?? false
        let storeHistory = silent ? false : (c["store_history"]?.bool ?? true)
        let allowStdin = c["allow_stdin"]?.bool ?? true
        let stopOnError = c["stop_on_error"]?.bool ?? true
        if storeHistory { executionCount += 1 }
        let count = executionCount
        if !silent { publish("execute_input", parent: msg.header, ["code": .string(code), "execution_count": .int(count)]) }
        interruptFlag.store(false, ordering: .relaxed)
        let ctx = KernelContext(kernel: self, request: msg, allowStdin: allowStdin, silent: silent)
        output.withLock { $0.parent = msg.header }
        let outcome = interpreter.execute(code: code, executionCount: count, context: ctx)
        flushStreams()
        if let note = output.withLock({ $0.throttle.finish() }), !silent {
            publish("stream", parent: msg.header, ["name": "stderr", "text": .string(note)])
        }
        var userExpressions: [String: JSONValue] = [:]
        if let exprs = c["user_expressions"]?.object {
            for (k, v) in exprs {
                guard let e = v.string else { userExpressions[k] = ["status": "error", "ename": "TypeError", "evalue": "expression must be a string", "traceback": []]; continue }
                switch interpreter.evaluate(expression: e) {
                case .success(let b): userExpressions[k] = ["status": "ok", "data": .object(b.data), "metadata": .object(b.metadata)]
                case .failure(let err): userExpressions[k] = ["status": "error", "ename": "Error", "evalue": .string(err.description), "traceback": []]
                }
            }
        }
        switch outcome {
        case .ok(let result):
            if let r = result, !silent {
                publish("execute_result", parent: msg.header, ["execution_count": .int(count), "data": .object(r.data), "metadata": .object(r.metadata)])
            }
            if storeHistory { history.append(line: count, input: code, output: result?.data["text/plain"]?.string) }
            iopub.flush()
            reply(socket, to: msg, "execute_reply", ["status": "ok", "execution_count": .int(count), "user_expressions": .object(userExpressions),
                                                     "payload": .array(ctx.payloads)])
        case .error(let ename, let evalue, let tb):
            if !silent { publish("error", parent: msg.header, ["ename": .string(ename), "evalue": .string(evalue), "traceback": .array(tb.map { .string($0) })]) }
            if storeHistory { history.append(line: count, input: code, output: nil) }
            iopub.flush()
            reply(socket, to: msg, "execute_reply", ["status": "error", "execution_count": .int(count), "ename": .string(ename), "evalue": .string(evalue),
                                                     "traceback": .array(tb.map { .string($0) }), "user_expressions": .object(userExpressions), "payload": .array(ctx.payloads)])
            if stopOnError { abortQueued(socket) }
        }
    }

    /// After an error: requests already queued on shell are answered `aborted` (others run).
    func abortQueued(_ socket: ZMQSocket) {
        // only what is already queued at this moment
        while true {
            let (ready, _) = socket.poll(timeoutMs: 0)
            guard ready, let frames = socket.recvMultipart(dontWait: true) else { break }
            guard let m = try? codec.decode(frames) else { droppedMessages += 1; continue }
            if m.msgType == "execute_request" {
                status("busy", parent: m.header)
                reply(socket, to: m, "execute_reply", ["status": "aborted", "execution_count": .int(executionCount), "user_expressions": [:], "payload": []])
                status("idle", parent: m.header)
            } else {
                dispatch(m, socket: socket, channel: .shell)
            }
        }
    }
}
