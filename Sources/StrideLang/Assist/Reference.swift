/// The builtin reference as Markdown (`docs/builtins.md`, `stride docs`), generated from the builtin table so it
/// cannot drift from what the language does.
public enum BuiltinReference {
    public static func markdown() -> String {
        var out = [
            "# Stride builtins", "",
            "Generated from the builtin table (`stride docs > docs/builtins.md`); `help(name)` shows the same text in a "
                + "notebook. The language itself is described in [language.md](language.md).", "",
        ]
        let byCategory = Dictionary(grouping: Builtins.all, by: \.category)
        for category in Category.allCases {
            guard let entries = byCategory[category], !entries.isEmpty else { continue }
            out.append("## \(category.title)")
            out.append("")
            for b in entries.sorted(by: { ($0.receiverTypeName, $0.name) < ($1.receiverTypeName, $1.name) }) {
                let returns = b.returns == .none ? "" : " → \(b.returns)"
                out.append("- `\(b.signature)`\(returns) — \(b.summary)  ")
                out.append("  `\(b.example)`")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
