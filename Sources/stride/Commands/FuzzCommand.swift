import ArgumentParser
import CNN
import Foundation
import Render
import StrideLang

/// A program generator plus mutation over parse + execute. Nothing a user types may crash the
/// process: a crash kills this command, and the input that did it is in `--last`.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz", abstract: "Fuzz the parser and interpreter with generated and mutated programs.")
    @Option(help: "How long to run, in seconds.") var seconds: Double = 20
    @Option(help: "Random seed (a run is reproducible for a seed).") var seed: UInt64 = 1
    @Option(help: "Directory of seed programs (*.stride) to mutate.") var corpus: [String] = [
        "Tests/fuzz/corpus", "Tests/StrideLangTests/Scripts",
    ]
    @Option(help: "Directories of sample files (PNG, JPEG, .pth, .safetensors) to mutate and load.")
    var files: [String] = ["Tests/fuzz/files"]
    @Option(help: "Where the program being run is written first (kept if the process dies).") var last: String =
        ".build/fuzz-last.stride"
    @Option(help: "Per-program time limit in milliseconds (then the program is interrupted).") var timeoutMs: Int = 300

    func run() throws {
        var rng = RandomGenerator(seed: seed)
        var seeds: [String] = []
        for dir in corpus {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files.sorted() where f.hasSuffix(".stride") {
                if let s = try? String(contentsOfFile: dir + "/" + f, encoding: .utf8) { seeds.append(s) }
            }
        }
        let fileMutator = FileMutator(directories: files)
        let host = QuietHost()
        var session = Session(host: host, memoryLimit: 256 << 20, maxCallDepth: 100)
        let start = Date()
        var runs = 0, errors = 0, oks = 0
        var kinds: [String: Int] = [:]
        while Date().timeIntervalSince(start) < seconds {
            let program: String
            switch ProcessInfo.processInfo.environment["FUZZ_GEN_ONLY"] != nil ? 0 : rng.int(below: 4) {
            case 0: var g = Gen(rng: &rng); program = g.program()
            case 1 where !seeds.isEmpty: program = Mutator.mutate(seeds[rng.int(below: seeds.count)], &rng)
            case 3: program = fileMutator.program(base: last + "-file", &rng) ?? ""
            default: var g = Gen(rng: &rng); program = Mutator.mutate(g.program(), &rng)
            }
            try? program.write(toFile: last, atomically: false, encoding: .utf8)
            let token = session.token
            let deadline = DispatchWorkItem { token.cancel() }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeoutMs), execute: deadline)
            switch session.execute(program, cell: runs + 1) {
            case .ok: oks += 1
            case .error(let e, _, _, _):
                errors += 1
                kinds[e.kind.rawValue, default: 0] += 1
                if e.kind == .syntax, ProcessInfo.processInfo.environment["FUZZ_SHOW_SYNTAX"] != nil {
                    FileHandle.standardError.write(Data("---\n\(program)\n=> \(e.message)\n".utf8))
                }
            }
            deadline.cancel()
            runs += 1
            if runs % 200 == 0 { session = Session(host: host, memoryLimit: 256 << 20, maxCallDepth: 100) }
        }
        try? FileManager.default.removeItem(atPath: last)
        for s in fileMutator.samples { try? FileManager.default.removeItem(atPath: last + "-file." + s.0) }
        print(
            "fuzz: \(runs) programs in \(String(format: "%.0f", Date().timeIntervalSince(start))) s, seed \(seed): \(oks) ran, \(errors) stopped with an error, 0 crashes"
        )
        print(
            "errors by kind: "
                + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}
