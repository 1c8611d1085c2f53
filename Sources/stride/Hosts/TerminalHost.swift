import Foundation
import Render
import StrideLang

/// The host for `stride run` and `stride repl`: stdout/stderr, a line from stdin, and
/// plain-text forms of displays (images are summarised, progress is one updating line).
final class TerminalHost: StrideLang.Host {
    var isTTY = isatty(STDOUT_FILENO) != 0
    /// Set by `exit` / `quit`; the REPL stops after the cell.
    var exitRequested = false
    func requestExit() { exitRequested = true }
    func write(_ text: String, to stream: OutputStreamName) {
        FileHandle(fileDescriptor: stream == .stdout ? STDOUT_FILENO : STDERR_FILENO).write(Data(text.utf8))
    }
    func display(_ bundle: MIMEBundle, id: String?, update: Bool) {
        write((bundle.data["text/plain"] ?? "<display>") + "\n", to: .stdout)
    }
    func clearOutput(wait: Bool) { if isTTY { write("\u{1B}[2J\u{1B}[H", to: .stdout) } }
    func readLine(prompt: String) throws -> String {
        write(prompt, to: .stdout)
        guard let line = Swift.readLine(strippingNewline: true) else { throw HostInputError("end of input") }
        return line
    }
    func page(_ text: String) { write(text + "\n", to: .stdout) }
    func progress(_ bundle: MIMEBundle, id: String, first: Bool, final: Bool) {
        let line = bundle.data["text/plain"] ?? ""
        if isTTY {
            write("\r\u{1B}[K" + line + (final ? "\n" : ""), to: .stderr)
        } else if final {
            write(line + "\n", to: .stderr)
        }
    }
}

/// Prints a cell outcome exactly as the kernel's text output would read.
func printOutcome(_ outcome: CellOutcome, session: Session, host: TerminalHost, showResult: Bool) -> Bool {
    switch outcome {
    case .ok(let b):
        if showResult, let t = b?.data["text/plain"] { host.write(t + "\n", to: .stdout) }
        return true
    case .error(let e, _, _, _):
        host.write(session.render(e, color: isatty(STDERR_FILENO) != 0) + "\n", to: .stderr)
        return false
    }
}
