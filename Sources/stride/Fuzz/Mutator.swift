import CNN

/// Random edits of a program: inserted tokens and fragments that tend to break parsers (unclosed brackets,
/// interpolation, huge numbers, Unicode), deleted characters and ranges.
enum Mutator {
    static func mutate(_ s: String, _ rng: inout RandomGenerator) -> String {
        var chars = Array(s.unicodeScalars)
        let pieces: [String] = [
            "(", ")", "[", "]", "{", "}", "\"", "\\(", ",", ":", "::", "...", "..<", "-", "*", "/", "@", "%", "0", "-1",
            "1e308", "9223372036854775807",
            "nil", "true", "let", "var", "func", "return", "x", ".", "🙂", "é", "\n", ";", "%time ", "/*", "*/", "//",
            "\\", "randn(3, 3)", "zeros(0)", "[[1, 2], [3]]",
        ]
        for _ in 0..<(1 + rng.int(below: 4)) {
            guard !chars.isEmpty else { break }
            let i = rng.int(below: chars.count + 1)
            switch rng.int(below: 4) {
            case 0: chars.insert(contentsOf: pieces[rng.int(below: pieces.count)].unicodeScalars, at: i)
            case 1: if i < chars.count { chars.remove(at: i) }
            case 2:
                let j = rng.int(below: chars.count + 1)
                let (a, b) = (Swift.min(i, j), Swift.max(i, j))
                chars.removeSubrange(a..<b)
            default:
                if i < chars.count { chars[i] = pieces[rng.int(below: pieces.count)].unicodeScalars.first ?? "x" }
            }
        }
        return String(String.UnicodeScalarView(chars))
    }
}
