import Foundation
import CNN

/// One builtin: name, signature with labels, one-line summary, example, and its
/// implementation. The same table feeds calls, completion, inspection and `help`.
public struct Builtin: Sendable {
    public let name: String
    public let signature: String
    public let summary: String
    public let example: String
    public let category: String
    let run: @Sendable (inout Arguments, Interpreter) throws -> Value

    /// Argument labels the signature names (`kernel`, `stride`, …), for completion.
    public var labels: [String] {
        guard let open = signature.firstIndex(of: "("), let close = signature.lastIndex(of: ")") else { return [] }
        return signature[signature.index(after: open)..<close].split(separator: ",").compactMap { part in
            let p = part.trimmingCharacters(in: .whitespaces)
            guard let c = p.firstIndex(of: ":") else { return nil }
            let l = p[..<c].trimmingCharacters(in: .whitespaces)
            return l.isEmpty || l.contains(" ") ? nil : l
        }
    }

    /// The help text: signature, summary, example.
    public var helpText: String { "\(signature)\n\n\(summary)\n\nExample:\n    \(example)" }
}

func B(_ category: String, _ name: String, _ signature: String, _ summary: String, _ example: String,
       _ run: @escaping @Sendable (inout Arguments, Interpreter) throws -> Value) -> Builtin {
    Builtin(name: name, signature: signature, summary: summary, example: example, category: category, run: run)
}

/// The builtin table (§5–§7 of the language contract).
public enum Builtins {
    public static let all: [Builtin] = general + creation + tensorFunctions + nnFunctions + layers + training + io + display
    public static let table: [String: Builtin] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
}
