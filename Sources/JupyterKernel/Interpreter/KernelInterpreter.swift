/// A display payload as the protocol carries it: MIME type → JSON, plus metadata.
public struct KernelBundle: Sendable, Equatable {
    public var data: [String: JSONValue]
    public var metadata: [String: JSONValue]
    public init(data: [String: JSONValue], metadata: [String: JSONValue] = [:]) {
        self.data = data; self.metadata = metadata
    }
}

/// What the interpreter may do while a cell runs: the kernel publishes it to iopub/stdin.
public protocol ExecutionContext: AnyObject {
    func stream(_ name: String, _ text: String)
    func display(_ bundle: KernelBundle, id: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Asks the front end for a line; throws when stdin is not allowed or the cell is interrupted.
    func input(prompt: String, password: Bool) throws -> String
    /// Adds a pager payload (help text) to the execute reply.
    func page(_ text: String)
    /// Asks the front end to end the session (`exit`): an `ask_exit` payload, as IPython's `exit` sends.
    func askExit()
}

/// The result of executing a cell.
public enum ExecuteOutcome: Sendable {
    case ok(result: KernelBundle?)
    case error(ename: String, evalue: String, traceback: [String])
}

public enum IsCompleteStatus: Sendable, Equatable { case complete, incomplete(indent: String), invalid, unknown }

public struct CompletionResult: Sendable {
    public var matches: [String]
    public var cursorStart: Int, cursorEnd: Int
    public var types: [String]
    public init(matches: [String], cursorStart: Int, cursorEnd: Int, types: [String]) {
        self.matches = matches; self.cursorStart = cursorStart; self.cursorEnd = cursorEnd; self.types = types
    }
}

/// The language side of the kernel, shaped like xeus's interpreter interface. The kernel owns
/// the execution counter, execute_input, busy/idle and the reply envelope; the interpreter
/// gets code and a context. Cursors are Unicode code points.
public protocol KernelInterpreter: AnyObject {
    func execute(code: String, executionCount: Int, context: any ExecutionContext) -> ExecuteOutcome
    /// Evaluates a user expression (no output, no history).
    func evaluate(expression: String) -> Result<KernelBundle, KernelError>
    func complete(code: String, cursor: Int) -> CompletionResult
    func inspect(code: String, cursor: Int, detail: Int) -> KernelBundle?
    func isComplete(code: String) -> IsCompleteStatus
    /// Interrupts the running cell; harmless when idle. The kernel reads it once and calls it from the control
    /// and signal threads, so it touches no state of the interpreter's but a thread-safe flag.
    var interruptHandle: @Sendable () -> Void { get }
    /// Clears the session (restart).
    func reset()
    /// Ends the session before the kernel exits (shutdown): removes what it made, such as scratch files.
    func shutdown()
    var languageInfo: JSONValue { get }
    var banner: String { get }
    var implementationVersion: String { get }
}
