import ArgumentParser
import Foundation
import StrideLang

/// `stride repl`: an interactive terminal session; multi-line input is driven by `isComplete`, and `exit`,
/// `quit` or end of input ends it.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "An interactive terminal session (multi-line input driven by is_complete).")
    func run() throws {
        let host = TerminalHost()
        let session = Session(host: host)
        defer { session.close() }
        let tty = isatty(STDIN_FILENO) != 0
        signal(SIGINT, SIG_IGN)
        let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        src.setEventHandler { session.interrupt() }
        src.resume()
        if tty {
            host.write(
                "Stride \(StrideVersion.string) — type help(name) for documentation, exit or Ctrl-D to quit\n",
                to: .stdout)
        }
        var cell = 1
        while true {
            if tty { host.write("In [\(cell)]: ", to: .stdout) }
            guard var code = readLine(strippingNewline: true) else { break }
            while case .incomplete(let indent) = session.isComplete(code) {
                if tty { host.write("   ...: " + indent, to: .stdout) }
                guard let more = readLine(strippingNewline: true) else { break }
                code += "\n" + more
            }
            if code.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            _ = printOutcome(session.execute(code, cell: cell), session: session, host: host, showResult: true)
            cell += 1
            if host.exitRequested { break }
        }
        if tty && !host.exitRequested { host.write("\n", to: .stdout) }
        withExtendedLifetime(src) {}
    }
}
