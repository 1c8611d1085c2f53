import CNN
import Foundation

/// Draws errors: plain text (evalue, `stride run`) or ANSI colour (Jupyter traceback),
/// in the `--> cell 7, line 3, column 9` / `| ^^^^` format of docs/language.md §10.
public struct DiagnosticRenderer: Sendable {
    /// Source text by source id (cell number or file).
    public var sources: [Int: String]
    /// How a source id is named: "cell 7", or a file name.
    public var sourceName: @Sendable (Int) -> String

    public init(sources: [Int: String], sourceName: @escaping @Sendable (Int) -> String = { "cell \($0)" }) {
        self.sources = sources; self.sourceName = sourceName
    }

    /// The full report, one string per line.
    public func lines(_ e: StrideError, color: Bool = false) -> [String] {
        let red = color ? "\u{1B}[0;31m" : "", blue = color ? "\u{1B}[0;34m" : "", bold = color ? "\u{1B}[1m" : "",
            reset = color ? "\u{1B}[0m" : ""
        var out = ["\(red)\(bold)\(e.kind.rawValue)\(reset)\(bold): \(e.message)\(reset)"]
        for st in e.stages {
            // its input's shape, unless the message already gives it
            let shape = shapeString(st.inputShape)
            out.append(
                "  in \(callee(st.callSite))\(st.path) (\(st.layer))"
                    + (e.message.contains(shape) ? "" : ", input \(shape)"))
        }
        if let s = e.span {
            out.append("  \(blue)-->\(reset) \(location(s))")
            if let text = sources[s.source] {
                let srcLines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if s.line - 1 < srcLines.count {
                    let lineText = String(srcLines[s.line - 1])
                    let num = String(s.line)
                    let pad = String(repeating: " ", count: num.count)
                    let lineLen = lineText.unicodeScalars.count
                    let lineStart = s.start - (s.column - 1)
                    let caretEnd = Swift.min(s.end, lineStart + lineLen)
                    let width = Swift.max(1, caretEnd - s.start)
                    out.append(" \(pad) \(blue)|\(reset)")
                    out.append(" \(blue)\(num) |\(reset) \(lineText)")
                    out.append(
                        " \(pad) \(blue)|\(reset) "
                            + String(repeating: " ", count: displayWidth(lineText, upTo: s.column - 1)) + "\(red)"
                            + String(repeating: "^", count: width) + "\(reset)")
                }
            }
        }
        var i = 0
        while i < e.callStack.count {
            let f = e.callStack[i]
            var same = 1
            while i + same < e.callStack.count && e.callStack[i + same] == f { same += 1 }
            out.append("  in \(f.function), called at \(location(f.callSite))")
            if same > 3 {
                out.append("  in \(f.function), called at \(location(f.callSite))")
                out.append("  [the frame above repeated \(same - 2) more times]")
            } else {
                for _ in 1..<same { out.append("  in \(f.function), called at \(location(f.callSite))") }
            }
            i += same
        }
        for n in e.notes { out.append("  note: \(n)") }
        return out
    }

    /// Plain text, newline-joined.
    public func render(_ e: StrideError, color: Bool = false) -> String {
        lines(e, color: color).joined(separator: "\n")
    }

    /// The text of the callee of the call at `s` (`model` of `model(x)`; "the model" when it cannot be read).
    func callee(_ s: Span) -> String {
        guard let text = sources[s.source] else { return "the model" }
        let scalars = Array(text.unicodeScalars)
        guard s.start >= 0, s.end <= scalars.count, s.start < s.end, scalars[s.end - 1] == ")" else {
            return "the model"
        }
        // the argument list's opening parenthesis: the one that matches the call's last character
        var depth = 0
        var k = s.end - 1
        while k >= s.start {
            if scalars[k] == ")" { depth += 1 }
            if scalars[k] == "(" {
                depth -= 1
                if depth == 0 { break }
            }
            k -= 1
        }
        guard k > s.start else { return "the model" }
        var name = String(String.UnicodeScalarView(scalars[s.start..<k]))
        name = name.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? "the model" : name
    }

    public func location(_ s: Span) -> String { "\(sourceName(s.source)), line \(s.line), column \(s.column)" }

    /// Columns taken by the first `n` code points (tabs kept as tabs by emitting spaces of the same count).
    func displayWidth(_ line: String, upTo n: Int) -> Int { Swift.max(0, Swift.min(n, line.unicodeScalars.count)) }
}
