// The one file that imports both the kernel and the language: it adapts a StrideLang
// Session to JupyterKernel's interpreter protocol and converts MIME bundles.
import CNN
import Foundation
import JupyterKernel
import Render
import StrideLang

/// The session's host while it runs under the kernel: forwards to the current cell's context.
final class KernelHost: StrideLang.Host {
    var context: (any ExecutionContext)?
    func write(_ text: String, to stream: OutputStreamName) { context?.stream(stream.rawValue, text) }
    func display(_ bundle: MIMEBundle, id: String?, update: Bool) {
        context?.display(convert(bundle), id: id, update: update)
    }
    func clearOutput(wait: Bool) { context?.clearOutput(wait: wait) }
    func readLine(prompt: String) throws -> String {
        guard let context else { throw HostInputError("input() is not available outside a running cell") }
        do { return try context.input(prompt: prompt, password: false) } catch let e as KernelError {
            throw HostInputError(e.description)
        }
    }
    func page(_ text: String) { context?.page(text) }
    func requestExit() { context?.askExit() }
}

func convert(_ b: MIMEBundle) -> KernelBundle {
    KernelBundle(
        data: b.data.mapValues { .string($0) },
        metadata: b.metadata.mapValues { m in .object(m.mapValues { .int($0) }) })
}

final class StrideKernelInterpreter: KernelInterpreter {
    let host = KernelHost()
    /// Built on first use: `stride kernel` binds its sockets first and then touches it, so a front end
    /// can connect while the builtins are being set up (start-up latency).
    lazy var session = Session(host: host, token: token)
    /// The session's interrupt flag, made first so the kernel's other threads never touch the session itself.
    let token = CancellationToken()
    init() {}

    func execute(code: String, executionCount: Int, context: any ExecutionContext) -> ExecuteOutcome {
        host.context = context
        defer { host.context = nil }
        switch session.execute(code, cell: executionCount) {
        case .ok(let b): return .ok(result: b.map(convert))
        case .error(_, let ename, let evalue, let tb): return .error(ename: ename, evalue: evalue, traceback: tb)
        }
    }
    func evaluate(expression: String) -> Result<KernelBundle, KernelError> {
        switch session.evaluate(expression) {
        case .success(let b): return .success(convert(b))
        case .failure(let e): return .failure(KernelError("\(e.kind.rawValue): \(e.message)"))
        }
    }
    func complete(code: String, cursor: Int) -> CompletionResult {
        let c = session.complete(code, cursor: cursor)
        return CompletionResult(matches: c.matches, cursorStart: c.start, cursorEnd: c.end, types: c.types)
    }
    func inspect(code: String, cursor: Int, detail: Int) -> KernelBundle? {
        session.inspect(code, cursor: cursor, detail: detail).map(convert)
    }
    func isComplete(code: String) -> IsCompleteStatus {
        switch session.isComplete(code) {
        case .complete: return .complete
        case .incomplete(let i): return .incomplete(indent: i)
        case .invalid: return .invalid
        }
    }
    var interruptHandle: @Sendable () -> Void { { [token] in token.cancel() } }
    func reset() { session.reset() }
    func shutdown() { session.close() }
    var languageInfo: JSONValue {
        [
            "name": "stride", "version": .string(StrideVersion.string), "mimetype": "text/x-stride",
            "file_extension": ".stride",
            "codemirror_mode": "swift", "pygments_lexer": "swift",
        ]
    }
    var banner: String {
        "Stride \(StrideVersion.string) — a tensor language for convolutional networks (help(name) for documentation)"
    }
    var implementationVersion: String { StrideVersion.string }
}
