import ArgumentParser
import Foundation

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install the Stride kernelspec so Jupyter lists it.")
    @Flag(help: "Install for the current user (~/.local/share/jupyter).") var user = false
    @Flag(name: .customLong("sys-prefix"), help: "Install into sys.prefix of the active Python (a venv).")
    var sysPrefix = false
    @Option(help: "Install under PREFIX/share/jupyter/kernels.") var prefix: String?
    @Option(help: "Directory holding kernel.json template and logos (default: kernelspec/ next to the sources).")
    var specDir: String?

    func run() throws {
        let base: String
        if let prefix {
            base = prefix + "/share/jupyter/kernels"
        } else if sysPrefix {
            let env = ProcessInfo.processInfo.environment
            guard let p = env["VIRTUAL_ENV"] ?? env["CONDA_PREFIX"] else {
                throw ValidationError(
                    "--sys-prefix needs an active venv (VIRTUAL_ENV) or conda env; or pass --prefix DIR")
            }
            base = p + "/share/jupyter/kernels"
        } else {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            #if os(macOS)
                base = home + "/Library/Jupyter/kernels"
            #else
                base =
                    (ProcessInfo.processInfo.environment["XDG_DATA_HOME"] ?? home + "/.local/share")
                    + "/jupyter/kernels"
            #endif
        }
        let dir = base + "/stride"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let binary = fm.fileExists(atPath: exe) ? exe : (Bundle.main.executablePath ?? exe)
        let spec: [String: Any] = [
            "argv": [binary, "kernel", "-f", "{connection_file}"],
            "display_name": "Stride (CNN)",
            "language": "stride",
            "interrupt_mode": "message",
            "metadata": ["debugger": false],
        ]
        let data = try JSONSerialization.data(
            withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: dir + "/kernel.json"))
        let src = specDir ?? Self.defaultSpecDir()
        for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
            let from = src + "/" + logo, to = dir + "/" + logo
            if fm.fileExists(atPath: from) {
                try? fm.removeItem(atPath: to)
                try fm.copyItem(atPath: from, toPath: to)
            }
        }
        print("Installed the Stride kernelspec in \(dir)")
    }

    static func defaultSpecDir() -> String {
        // <repo>/.build/<config>/stride → <repo>/kernelspec
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var d = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            let cand = d.appendingPathComponent("kernelspec").path
            if FileManager.default.fileExists(atPath: cand + "/logo-svg.svg") { return cand }
            d = d.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/kernelspec"
    }
}
