import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

@Suite struct ReferenceTests {
    /// docs/builtins.md is generated from the builtin table; every builtin is in it, and the file in the
    /// repository is the current output (regenerate with `swift run stride docs > docs/builtins.md`).
    @Test func builtinReferenceIsCompleteAndCurrent() throws {
        let text = BuiltinReference.markdown()
        for b in Builtins.all { #expect(text.contains("`\(b.signature)`"), "\(b.name) missing from the reference") }
        let file = Repository.file("docs/builtins.md")
        let saved = try String(contentsOf: file, encoding: .utf8)
        #expect(saved == text, "docs/builtins.md is out of date: run `swift run stride docs > docs/builtins.md`")
    }
}
