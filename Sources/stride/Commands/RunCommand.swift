import ArgumentParser
import Foundation
import StrideLang

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .stride script (errors on stderr, exit status 1).")
    @Argument(help: "The script to run.") var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file), let code = String(data: data, encoding: .utf8)
        else {
            FileHandle.standardError.write(Data("stride: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        let host = TerminalHost()
        let session = Session(host: host)
        defer { session.close() }
        let name = (file as NSString).lastPathComponent
        session.sourceName = { _ in name }
        if !printOutcome(session.execute(code, cell: 1), session: session, host: host, showResult: false) {
            throw ExitCode(1)
        }
    }
}
