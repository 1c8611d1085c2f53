import ArgumentParser

/// The `stride` executable: a Jupyter kernel, its installer, a script runner, a REPL and benchmarks.
@main
struct Stride: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stride",
        abstract: "Stride: a tensor language for convolutional networks, and its Jupyter kernel.",
        version: StrideVersion.string,
        subcommands: [
            RunCommand.self, ReplCommand.self, KernelCommand.self, InstallCommand.self, BenchCommand.self,
            FuzzCommand.self, DocsCommand.self,
        ])
}

enum StrideVersion {
    static let string = "0.1.0"
}
