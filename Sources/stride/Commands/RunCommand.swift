import ArgumentParser
import Foundation
import StrideLang

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a .stride script (errors on stderr, exit status 1).")
    @Argument(help: "The script to run.") var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file), let code = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("stride: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        let host = TerminalHost()
        let session = Session(host: host)
        defer { session.close() }
        let name = (file as NSString).lastPathComponent
        session.sourceName = { _ in name }
        if !printOutcome(session.execute(code, cell: 1), session: session, host: host, showResult: false) { throw ExitCode(1) }
    }
}

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "An interactive terminal session (multi-line input driven by is_complete).")
    func run() throws {
        let host = TerminalHost()
        let session = Session(host: host)
        defer { session.close() }
        let tty = isatty(STDIN_FILENO) != 0
        signal(SIGINT, SIG_IGN)
        let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        src.setEventHandler { session.interrupt() }
        src.resume()
        if tty { host.write("Stride \(StrideVersion.string) — type help(name) for documentation, exit or Ctrl-D to quit\n", to: .stdout) }
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
