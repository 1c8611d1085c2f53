import ArgumentParser
import Foundation
import JupyterKernel

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernel", abstract: "Start a Jupyter kernel from a connection file.")
    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.") var connectionFile: String

    func run() throws {
        let info = try ConnectionInfo.load(connectionFile)
        let kernel = try Kernel(connection: info, interpreter: StrideKernelInterpreter())
        // SIGINT interrupts the running cell (harmless when idle); SIGTERM shuts down.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { kernel.interruptFromSignal() }
        sigint.resume()
        let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        sigterm.setEventHandler { Foundation.exit(0) }
        sigterm.resume()
        kernel.run()
        Foundation.exit(0)
    }
}
