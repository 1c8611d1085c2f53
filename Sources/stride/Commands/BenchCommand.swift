import ArgumentParser
import Foundation

/// `stride bench`: samples of users' work, each timed against a reference in the same run (PyTorch CPU with
/// the same thread count, CPython), printing each ratio; and the interrupt latency of each kind of long work.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time kernels, the interpreter and interrupts against PyTorch and CPython in the same run.")

    enum Section: String, ExpressibleByArgument, CaseIterable {
        case kernels, networks, interpreter, interrupt
    }

    @Option(help: "Sections to run (kernels, networks, interpreter, interrupt); all by default.")
    var section: [Section] = []
    @Option(
        help: "Python with torch for the reference (default: $STRIDE_BENCH_PYTHON, .venv-bench/bin/python, python3).")
    var python: String?
    @Flag(help: "Skip the reference runs.") var noReference = false
    @Flag(help: .hidden) var memoryProbe = false

    func run() throws {
        if memoryProbe {
            // a fresh process measuring one ResNet-18 step's peak memory (see PeakMemory)
            print(PeakMemory.probe().map(String.init) ?? "")
            return
        }
        let sections = section.isEmpty ? Section.allCases : section
        print("threads: \(ProcessInfo.processInfo.activeProcessorCount)   (ratio = stride time / reference time)")
        let env = ProcessInfo.processInfo.environment
        let pythons = [python, env["STRIDE_BENCH_PYTHON"], ".venv-bench/bin/python", ".venv/bin/python", "python3"]
            .compactMap { $0 }
        if sections.contains(.kernels) {
            let rows = try KernelBench.run()
            let ref = noReference ? [:] : Bench.reference(script: "torch_reference.py", pythons: pythons)
            Bench.printTable("kernels", rows, reference: ref, against: "PyTorch CPU")
        }
        if sections.contains(.networks) {
            let rows = NetworkBench.run()
            let ref = noReference ? [:] : Bench.reference(script: "torch_networks.py", pythons: pythons)
            Bench.printTable("networks", rows, reference: ref, against: "PyTorch CPU")
            PeakMemory.report(reference: ref)
        }
        if sections.contains(.interpreter) {
            let rows = InterpreterBench.run()
            let ref = noReference ? [:] : InterpreterBench.reference(python: python)
            Bench.printTable("interpreter", rows, reference: ref, against: "CPython (NumPy for arrays)")
        }
        if sections.contains(.interrupt) {
            InterruptBench.printTable(InterruptBench.run())
        }
    }
}
