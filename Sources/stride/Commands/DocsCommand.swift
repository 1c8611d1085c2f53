import ArgumentParser
import StrideLang

/// Prints the builtin reference (`docs/builtins.md` is its output; a test keeps the two equal).
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Print the builtin reference as Markdown (docs/builtins.md).")

    func run() throws {
        print(BuiltinReference.markdown(), terminator: "")
    }
}
