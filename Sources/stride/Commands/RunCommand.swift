import ArgumentParser
import Foundation
import StrideLang

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .stride script (errors on stderr, exit status 1).")
    @Argument(help: "The script to run.") var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("stride: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        guard let code = String(validating: data, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8(data) ?? 0
            let before = data.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let byte = String(format: "0x%02X", data[data.startIndex + offset])
            let message =
                "SyntaxError: \(file) is not UTF-8 text: byte \(byte) at offset \(offset) (line \(line), byte \(column) "
                + "of the line) does not start or continue a UTF-8 character; save the file as UTF-8\n"
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode(1)
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

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        var decoder = UTF8()
        var bytes = data.makeIterator()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
                consumed = offset
            case .emptyInput: return nil
            case .error: return consumed
            }
        }
    }
}
