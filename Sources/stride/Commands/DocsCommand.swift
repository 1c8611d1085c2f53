import ArgumentParser
import Foundation
import StrideLang

/// Prints the builtin reference (`docs/builtins.md` is its output; a test keeps the two equal), or, with
/// `--torch`, the builtins that mean a PyTorch function, as JSON (the differential test reads it).
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Print the builtin reference as Markdown (docs/builtins.md).")
    @Flag(help: "Print the builtins with a PyTorch namesake as JSON: [{name, receiver, function, torch}].")
    var torch = false

    func run() throws {
        guard torch else {
            print(BuiltinReference.markdown(), terminator: "")
            return
        }
        let entries: [[String: Any]] = Builtins.all.compactMap { b in
            guard let t = b.torch else { return nil }
            return [
                "name": b.name, "receiver": b.receiver.map { "\($0)" } ?? "", "function": b.isFunction,
                "property": b.isProperty, "torch": t,
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
