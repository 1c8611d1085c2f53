import ArgumentParser
import CNN
import Foundation
import Render
import StrideLang

/// A program generator plus mutation over parse + execute. Nothing a user types may crash the
/// process: a crash kills this command, and the input that did it is in `--last`.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fuzz", abstract: "Fuzz the parser and interpreter with generated and mutated programs.")
    @Option(help: "How long to run, in seconds.") var seconds: Double = 20
    @Option(help: "Random seed (a run is reproducible for a seed).") var seed: UInt64 = 1
    @Option(help: "Directory of seed programs (*.stride) to mutate.") var corpus: [String] = ["Tests/fuzz/corpus", "Tests/StrideLangTests/Scripts"]
    @Option(help: "Where the program being run is written first (kept if the process dies).") var last: String = ".build/fuzz-last.stride"
    @Option(help: "Per-program time limit in milliseconds (then the program is interrupted).") var timeoutMs: Int = 300

    final class Quiet: StrideLang.Host {
        func write(_ text: String, to stream: OutputStreamName) {}
        func display(_ bundle: MIMEBundle, id: String?, update: Bool) {}
        func clearOutput(wait: Bool) {}
        func readLine(prompt: String) throws -> String { "fuzz" }
        func page(_ text: String) {}
    }

    func run() throws {
        var rng = RandomGenerator(seed: seed)
        var seeds: [String] = []
        for dir in corpus {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files.sorted() where f.hasSuffix(".stride") {
                if let s = try? String(contentsOfFile: dir + "/" + f, encoding: .utf8) { seeds.append(s) }
            }
        }
        let host = Quiet()
        var session = Session(host: host, memoryLimit: 256 << 20, maxCallDepth: 100)
        let start = Date()
        var runs = 0, errors = 0, oks = 0
        var kinds: [String: Int] = [:]
        while Date().timeIntervalSince(start) < seconds {
            let program: String
            switch rng.int(below: 3) {
            case 0: var g = Gen(rng: &rng); program = g.program()
            case 1 where !seeds.isEmpty: program = mutate(seeds[rng.int(below: seeds.count)], &rng)
            default: var g = Gen(rng: &rng); program = mutate(g.program(), &rng)
            }
            try? program.write(toFile: last, atomically: false, encoding: .utf8)
            let token = session.token
            let deadline = DispatchWorkItem { token.cancel() }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeoutMs), execute: deadline)
            switch session.execute(program, cell: runs + 1) {
            case .ok: oks += 1
            case .error(let e, _, _, _): errors += 1; kinds[e.kind.rawValue, default: 0] += 1
            }
            deadline.cancel()
            runs += 1
            if runs % 200 == 0 { session = Session(host: host, memoryLimit: 256 << 20, maxCallDepth: 100) }
        }
        try? FileManager.default.removeItem(atPath: last)
        print("fuzz: \(runs) programs in \(String(format: "%.0f", Date().timeIntervalSince(start))) s, seed \(seed): \(oks) ran, \(errors) stopped with an error, 0 crashes")
        print("errors by kind: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    func mutate(_ s: String, _ rng: inout RandomGenerator) -> String {
        var chars = Array(s.unicodeScalars)
        let pieces: [String] = ["(", ")", "[", "]", "{", "}", "\"", "\\(", ",", ":", "::", "...", "..<", "-", "*", "/", "@", "%", "0", "-1", "1e308", "9223372036854775807",
                                "nil", "true", "let", "var", "func", "return", "x", ".", "🙂", "é", "\n", ";", "%time ", "/*", "*/", "//", "\\", "randn(3, 3)", "zeros(0)", "[[1, 2], [3]]"]
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

/// Generates random, mostly well-formed programs over the language's grammar and builtins.
struct Gen {
    var rng: RandomGenerator
    init(rng: inout RandomGenerator) { self.rng = RandomGenerator(seed: rng.next()) }
    var names = ["a", "b", "x", "t", "m", "xs"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.int(below: xs.count)] }

    mutating func shape() -> String { (0..<(1 + rng.int(below: 4))).map { _ in String(rng.int(below: 5)) }.joined(separator: ", ") }

    mutating func expr(_ depth: Int = 0) -> String {
        if depth > 4 { return pick(["1", "2.5", "x", "t", "-3", "true", "nil", "\"s\""]) }
        switch rng.int(below: 16) {
        case 0: return "\(expr(depth + 1)) \(pick(["+", "-", "*", "/", "%", "@", "==", "<", "&&", "||"])) \(expr(depth + 1))"
        case 1: return "\(pick(["zeros", "ones", "randn", "rand"]))(\(shape()))"
        case 2: return "tensor(\(list(depth + 1)))"
        case 3: return "\(pick(["relu", "sigmoid", "tanh", "softmax", "flatten", "exp", "log", "sqrt", "abs", "swish", "leaky_relu", "elu"]))(\(expr(depth + 1)))"
        case 4: return "conv2d(randn(\(shape())), randn(\(shape())), \(pick(["nil", "randn(2)", "zeros(3)"])), stride: \(rng.int(below: 4)), padding: \(rng.int(below: 3) - 1))"
        case 5: return "max_pool2d(randn(\(shape())), \(rng.int(below: 4)), stride: \(rng.int(below: 3)))"
        case 6: return "\(pick(names))[\(idx())]"
        case 7: return "\(pick(names)).\(pick(["shape", "T", "grad", "sum()", "mean(dim: 1)", "reshape(-1)", "reshape(2, -1)", "max(dim: 0)", "item()", "count", "backward()", "permute(1, 0)", "pad(1)", "clamp(min: 0)", "squeeze()", "unsqueeze(0)", "std()", "argmax()"]))"
        case 8: return "[\(expr(depth + 1)), \(expr(depth + 1))]"
        case 9: return "(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 10: return "\(pick(["Conv2d(\(rng.int(below: 4)), \(rng.int(below: 4)), kernel: \(rng.int(below: 4)))", "Linear(\(rng.int(below: 5)), 2)", "MaxPool2d(2)", "ReLU()", "BatchNorm2d(\(rng.int(below: 4)))", "Sequential(Flatten(), Linear(4, 2))", "Dropout(0.5)", "LocalResponseNorm(3)", "SqueezeExcite(4, reduction: 2)"]))(\(expr(depth + 1)))"
        case 11: return "\(pick(["cross_entropy", "hinge_loss", "mse_loss", "matmul", "allclose", "rel_error", "concat"]))(\(expr(depth + 1)), \(expr(depth + 1)))"
        case 12: return "\(rng.int(below: 2000) - 1000)"
        case 13: return "\"\\(\(expr(depth + 1)))\""
        case 14: return "\(pick(["out_size(7, kernel: 3, stride: 3)", "im2col(randn(1, 2, 5, 5), kernel: 3)", "paramcount(Conv2d(3, 10, kernel: 5))", "gradcheck(relu, randn(3))", "summary(Sequential(Conv2d(1, 2, kernel: 3)), input: [1, 1, 5, 5])", "shapes(4, size: 8)", "Int(\(expr(depth + 1)))", "type(\(expr(depth + 1)))"]))"
        default: return "-\(expr(depth + 1))"
        }
    }
    mutating func list(_ depth: Int) -> String {
        depth > 3 ? String(rng.int(below: 9)) : "[" + (0..<rng.int(below: 4)).map { _ in rng.int(below: 4) == 0 ? list(depth + 1) : String(rng.uniform() * 4 - 2) }.joined(separator: ", ") + "]"
    }
    mutating func idx() -> String {
        (0..<(1 + rng.int(below: 3))).map { _ in pick(["0", "-1", ":", "1:", "::2", "::-1", "...", "5", "0:1", "nil", "x"]) }.joined(separator: ", ")
    }
    mutating func stmt(_ depth: Int = 0) -> String {
        switch rng.int(below: 10) {
        case 0: return "let \(pick(names)) = \(expr())"
        case 1: return "var \(pick(names)) = \(expr())"
        case 2: return "\(pick(names)) = \(expr())"
        case 3: return depth > 2 ? expr() : "if \(expr()) { \(stmt(depth + 1)) } else { \(stmt(depth + 1)) }"
        case 4: return depth > 2 ? expr() : "for i in 0..<\(rng.int(below: 5)) { \(stmt(depth + 1)) }"
        case 5: return depth > 2 ? expr() : "func f(\(pick(["", "p", "p, q: 2"]))) { \(stmt(depth + 1)); return \(expr()) }"
        case 6: return "print(\(expr()))"
        case 7: return "\(pick(names))[\(idx())] = \(expr())"
        case 8: return "f(\(expr()))"
        default: return expr()
        }
    }
    static let prelude = "var x = randn(2, 3)\nvar t = randn(1, 2, 4, 4)\nvar a = 1\nvar b = 2.5\nvar xs = [1, 2, 3]\nvar m = Sequential(Conv2d(2, 3, kernel: 3, padding: 1), ReLU(), Flatten(), Linear(48, 2))\n"
    mutating func program() -> String {
        let body = (0..<(1 + rng.int(below: 8))).map { _ in stmt() }.joined(separator: pick(["\n", "; ", "\n\n"]))
        return rng.int(below: 5) == 0 ? body : Self.prelude + body
    }
}
