/// `is_complete`: incomplete while a bracket, brace, string or comment is open (with the
/// indent for the next line), invalid on a syntax error, complete otherwise.
enum CompletenessChecker {
    static func check(_ code: String) -> Completeness {
        var stack: [Unicode.Scalar] = []
        var inString = false, escape = false, blockComment = 0
        let cs = Array(code.unicodeScalars)
        var i = 0
        while i < cs.count {
            let c = cs[i]
            if blockComment > 0 {
                if c == "*" && i + 1 < cs.count && cs[i + 1] == "/" { blockComment -= 1; i += 2; continue }
                if c == "/" && i + 1 < cs.count && cs[i + 1] == "*" { blockComment += 1; i += 2; continue }
                i += 1; continue
            }
            if inString {
                if escape {
                    escape = false
                } else if c == "\\" {
                    escape = true
                } else if c == "\"" {
                    inString = false
                } else if c == "\n" {
                    return .invalid
                }
                i += 1; continue
            }
            if c == "/" && i + 1 < cs.count && cs[i + 1] == "/" {
                while i < cs.count && cs[i] != "\n" { i += 1 }; continue
            }
            if c == "/" && i + 1 < cs.count && cs[i + 1] == "*" { blockComment += 1; i += 2; continue }
            switch c {
            case "\"": inString = true
            case "(", "[", "{": stack.append(c)
            case ")", "]", "}":
                let open: Unicode.Scalar = c == ")" ? "(" : (c == "]" ? "[" : "{")
                guard stack.last == open else { return .invalid }
                stack.removeLast()
            default: break
            }
            i += 1
        }
        if inString { return .incomplete(indent: "") }
        if blockComment > 0 || !stack.isEmpty {
            return .incomplete(indent: String(repeating: " ", count: 4 * stack.filter { $0 == "{" }.count))
        }
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if let last = trimmed.unicodeScalars.last, "+-*/=,@&|".unicodeScalars.contains(last), !trimmed.hasSuffix("//") {
            return .incomplete(indent: "")
        }
        do { _ = try Parser.parse(code); return .complete } catch { return .invalid }
    }
}

import Foundation
