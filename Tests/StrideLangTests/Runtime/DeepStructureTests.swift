import Foundation
import Testing

@testable import StrideLang
@testable import StrideTestSupport

/// Structures nested far deeper than the machine stack could recurse through — lists, dictionaries,
/// Sequentials, residual blocks, user layers, closures capturing closures — are built, printed, compared, saved,
/// called and freed without a crash: each operation either works or stops with a RecursionError.
@Suite struct DeepStructureTests {
    /// The error kind `code` stops with, or nil when it works.
    func outcome(_ h: Harness, _ code: String) -> ErrorKind? {
        if case .error(let e, _, _, _) = h.run(code) { return e.kind }
        return nil
    }

    static let depth = 1_000_000

    @Test(arguments: [
        ("list", "var v = [1]\nfor i in 0..<\(depth) { v = [v] }", "[1]"),
        ("dictionary", "var v = [\"k\": 1]\nfor i in 0..<\(depth) { v = [\"k\": v] }", "[:]"),
        ("Sequential", "var v = Sequential(ReLU())\nfor i in 0..<\(depth) { v = Sequential(v) }", "ReLU()"),
        ("Residual", "var v = Residual(ReLU())\nfor i in 0..<\(depth / 4) { v = Residual(v) }", "ReLU()"),
        ("Concat", "var v = Concat(ReLU())\nfor i in 0..<\(depth / 4) { v = Concat(v) }", "ReLU()"),
        (
            "user layer",
            "layer Wrap(inner) {\nlet i = inner\nfunc forward(x) { return i(x) }\n}\n"
                + "var v = Wrap(ReLU())\nfor i in 0..<\(depth / 4) { v = Wrap(v) }", "ReLU()"
        ),
        (
            "closure", "var v = { x in x }\nfor i in 0..<\(depth / 4) {\nlet g = v\nv = { x in g(x) }\n}",
            "{ x in x }"
        ),
    ])
    func deepStructuresNeverCrash(_ kind: String, _ build: String, _ reset: String) {
        let operations = [
            "print(v)", "String(v).count", "v == v", "v == \(reset)", "v(ones(1, 2, 2, 2))",
            "save(v, tempdir() + \"/deep.npz\")", "summary(v, input: [1, 2, 2, 2])", "show(v, ones(1, 2, 2, 2))",
            "help(v)", "explore(v, ones(1, 2, 2, 2))",
        ]
        // each operation on the deep structure does what it does on a shallow one, or stops with a RecursionError
        let shallow = Harness()
        shallow.run(
            build.replacingOccurrences(of: "\(Self.depth)", with: "3").replacingOccurrences(
                of: "\(Self.depth / 4)", with: "3"))
        let h = Harness()
        h.run(build)
        for op in operations {
            let expected = outcome(shallow, op), got = outcome(h, op)
            // a nested list is a tensor of as many dimensions as it is deep: past 64 that is a ValueError
            let tooManyDimensions = kind == "list" && op.hasPrefix("show") && got == .value
            #expect(
                got == expected || got == .recursion || tooManyDimensions,
                "\(kind): \(op) gave \(got?.rawValue ?? "no error")")
        }
        _ = h.session.complete("v.", cursor: 2)
        _ = h.session.inspect("v", cursor: 1, detail: 1)
        h.run("v = \(reset)")  // frees the deep structure
        h.run("%reset")
        #expect(h.value("1 + 1") == "2", "the session still works after freeing a deep \(kind)")
    }
}
