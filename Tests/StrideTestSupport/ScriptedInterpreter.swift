import Foundation
import Synchronization
@testable import JupyterKernel

/// An interpreter whose behaviour is spelled out by the code it gets, so the kernel's handlers can be driven
/// without the language.
final class ScriptedInterpreter: KernelInterpreter {
    /// Interrupts arrive from other threads: a `Sendable` counter counts them.
    final class Counter: Sendable {
        let value = Mutex(0)
    }
    let interruptCount = Counter()
    var interrupts: Int { interruptCount.value.withLock { $0 } }
    var resets = 0
    var executed: [String] = []

    func execute(code: String, executionCount: Int, context: any ExecutionContext) -> ExecuteOutcome {
        executed.append(code)
        switch code {
        case "print": context.stream("stdout", "hello\n")
        case "display": context.display(KernelBundle(data: ["text/plain": "picture"]), id: "d1", update: false)
        case "clear": context.clearOutput(wait: true)
        case "help": context.page("the help text")
        case "exit": context.askExit()
        case "input":
            do {
                let line = try context.input(prompt: "name? ", password: false)
                return .ok(result: KernelBundle(data: ["text/plain": .string("got " + line)]))
            } catch {
                return .error(ename: "StdinNotAllowed", evalue: "\(error)", traceback: ["no input"])
            }
        case "fail": return .error(ename: "ValueError", evalue: "it failed", traceback: ["line 1", "^"])
        default: break
        }
        return .ok(result: code == "nothing" ? nil : KernelBundle(data: ["text/plain": .string("= " + code)]))
    }
    func evaluate(expression: String) -> Result<KernelBundle, KernelError> {
        expression == "bad" ? .failure(KernelError("no such name")) : .success(KernelBundle(data: ["text/plain": "3"]))
    }
    func complete(code: String, cursor: Int) -> CompletionResult {
        CompletionResult(
            matches: ["zeros", "zip"], cursorStart: cursor - 1, cursorEnd: cursor, types: ["function", "function"])
    }
    func inspect(code: String, cursor: Int, detail: Int) -> KernelBundle? {
        code == "x" ? KernelBundle(data: ["text/plain": .string("x: detail \(detail)")]) : nil
    }
    func isComplete(code: String) -> IsCompleteStatus { code.hasSuffix("{") ? .incomplete(indent: "    ") : .complete }
    var interruptHandle: @Sendable () -> Void { { [interruptCount] in interruptCount.value.withLock { $0 += 1 } } }
    func reset() { resets += 1 }
    func shutdown() {}
    var languageInfo: JSONValue { ["name": "scripted"] }
    var banner: String { "scripted" }
    var implementationVersion: String { "1.0" }
}
