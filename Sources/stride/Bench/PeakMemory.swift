import Foundation
import StrideLang

/// The networks section's memory comparison: how far the process's resident memory rises above the model and
/// its data during the first ResNet-18 training step (activations, gradients, momentum buffers, workspaces),
/// measured in a fresh process for Stride (`stride bench --memory-probe`) and for PyTorch
/// (`benchmarks/torch_networks.py`, key `peak: resnet18 step`), through Linux's resident-set high-water mark.
enum PeakMemory {
    static let referenceKey = "peak: resnet18 step"

    /// Resident and peak resident bytes (VmRSS, VmHWM) from /proc/self/status.
    static func resident() -> (now: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        func kB(_ key: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        guard let now = kB("VmRSS"), let peak = kB("VmHWM") else { return nil }
        return (now, peak)
    }

    /// In this (fresh) process: builds the model and data, resets the high-water mark, runs one step, and
    /// returns how far the peak rose above the resident size before the step.
    static func probe() -> Int? {
        let session = Session(host: QuietHost())
        defer { session.close() }
        guard case .ok = session.execute(NetworkBench.resnet + "let opt = SGD(model, lr: 0.01, momentum: 0.9)")
        else { return nil }
        // writing 5 to clear_refs resets VmHWM to the current resident size
        guard (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil,
            let before = resident()
        else { return nil }
        guard case .ok = session.execute(NetworkBench.step), let after = resident() else { return nil }
        return after.peak - before.now
    }

    /// Runs the probe in a fresh Stride process and prints the comparison with PyTorch's figure.
    static func report(reference: [String: Double]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["bench", "--memory-probe"]
        let out = Pipe()
        p.standardOutput = out
        guard (try? p.run()) != nil else { return }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard let text = String(data: data, encoding: .utf8),
            let stride = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            print("peak memory of a ResNet-18 step: not measured (no /proc/self/clear_refs?)")
            return
        }
        var line = String(
            format: "peak memory of the first ResNet-18 step above model and data: Stride %.0f MB", stride / 1e6)
        if let torch = reference[referenceKey], torch > 0 {
            line += String(format: ", PyTorch %.0f MB (%.2fx)", torch / 1e6, stride / torch)
        }
        print(line)
    }
}
