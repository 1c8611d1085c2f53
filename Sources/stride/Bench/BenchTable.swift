import Foundation
import StrideLang

/// One timed case of `stride bench`: its name, Stride's best time, and a note (throughput, ...).
struct BenchRow {
    var name: String
    var seconds: Double
    var note = ""
}

/// Timing and printing shared by the bench sections.
enum Bench {
    /// How long each case keeps being timed, at least: one noisy moment on a shared machine spans a short
    /// case's every run, so runs are spread over this much time. The reference scripts use the same figure.
    static let minimumSeconds = 0.5

    /// The best of at least `reps` runs and of at least `minimumSeconds` of runs (at most 10,000) after one
    /// warm-up run.
    static func best(_ reps: Int, _ f: () throws -> Void) rethrows -> Double {
        try f()
        var b = Double.infinity
        var runs = 0
        var spent = 0.0
        while runs < reps || (spent < minimumSeconds && runs < 10_000) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try f()
            let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            b = min(b, t)
            spent += t
            runs += 1
        }
        return b
    }

    /// Times a Stride cell (as `best`) in a fresh session after its set-up cell, which is
    /// not timed; `note` may look at the session afterwards. A failing cell is reported and gives no row.
    static func timeCell(
        _ section: String, _ name: String, setup: String, code: String, reps: Int,
        note: (Session) -> String = { _ in "" }
    ) -> BenchRow? {
        let session = Session(host: QuietHost())
        defer { session.close() }
        if case .error(_, let ename, let evalue, _) = session.execute(setup, cell: 1) {
            print("\(section) case '\(name)': set-up failed: \(ename): \(evalue)")
            return nil
        }
        var failure: String? = nil
        let t = best(reps) {
            if case .error(_, let ename, let evalue, _) = session.execute(code) { failure = "\(ename): \(evalue)" }
        }
        if let failure { print("\(section) case '\(name)' failed: \(failure)") }
        return BenchRow(name: name, seconds: t, note: note(session))
    }

    /// Prints a section's rows beside the reference's times (by case name), each ratio, and the geometric
    /// mean of the ratios.
    static func printTable(_ title: String, _ rows: [BenchRow], reference: [String: Double], against: String) {
        print("\n== \(title) (reference: \(reference.isEmpty ? "none found" : against), same run)")
        let w0 = max(30, rows.map(\.name.count).max() ?? 30)
        print("case".padding(toLength: w0, withPad: " ", startingAt: 0) + "   stride ms     ref ms    ratio   note")
        var logs: [Double] = []
        for row in rows {
            var line = row.name.padding(toLength: w0, withPad: " ", startingAt: 0)
            line += String(format: "  %10.3f", row.seconds * 1000)
            if let r = reference[row.name], r > 0 {
                line += String(format: "  %9.3f  %6.2fx", r * 1000, row.seconds / r)
                logs.append(log(row.seconds / r))
            } else {
                line += "          -        -"
            }
            print(line + "   " + row.note)
        }
        if !logs.isEmpty {
            let geo = exp(logs.reduce(0, +) / Double(logs.count))
            print(String(format: "geometric mean of the ratios: %.2fx over %d cases", geo, logs.count))
        }
    }

    /// Runs a reference script with the first Python that runs it successfully; it prints `{case: seconds}`.
    static func reference(script name: String, pythons: [String], input: Data? = nil) -> [String: Double] {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let script = ["benchmarks/\(name)", here.appendingPathComponent("../../benchmarks/\(name)").path]
            .first { FileManager.default.fileExists(atPath: $0) }
        guard let script else { return [:] }
        for py in pythons {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [py, script, String(ProcessInfo.processInfo.activeProcessorCount)]
            let out = Pipe()
            let inp = Pipe()
            p.standardOutput = out
            p.standardInput = inp
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            if let input { inp.fileHandleForWriting.write(input) }
            try? inp.fileHandleForWriting.close()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus == 0, let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Double] {
                return obj
            }
        }
        return [:]
    }
}
