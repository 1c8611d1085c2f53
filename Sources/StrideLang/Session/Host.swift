public import Render

/// Where output goes.
public enum OutputStreamName: String, Sendable { case stdout, stderr }

/// Raised by `readLine` when the front end cannot answer (`allow_stdin: false`).
public struct HostInputError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The language's only way to reach the world: printing, displays, input, paging. The
/// kernel, `stride run`, `stride repl` and the tests each provide one.
public protocol Host: AnyObject {
    func write(_ text: String, to stream: OutputStreamName)
    /// Sends a display; `update` replaces the display with the same `id` in place.
    func display(_ bundle: MIMEBundle, id: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Reads a line of input, or throws `HostInputError`.
    func readLine(prompt: String) throws -> String
    /// Shows help text (a pager in Jupyter).
    func page(_ text: String)
    /// A progress bar's frame: the first creates the display, later ones update it.
    func progress(_ bundle: MIMEBundle, id: String, first: Bool, final: Bool)
    /// `exit` / `quit`: asks whoever runs the session to end it after this cell (the REPL stops, Jupyter's
    /// console exits). Hosts with nothing to end ignore it.
    func requestExit()
}

extension Host {
    public func requestExit() {}

    public func progress(_ bundle: MIMEBundle, id: String, first: Bool, final: Bool) {
        display(bundle, id: id, update: !first)
    }
}
