import ArgumentParser
import Foundation
import JupyterKernel

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Start a Jupyter kernel from a connection file.")
    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.")
    var connectionFile: String

    func run() throws {
        // SIGTERM exits at once and SIGINT interrupts the running cell (harmless when idle: jupyter_client
        // sends one before every shutdown); taken by a dedicated thread from the first instant.
        let signals = KernelSignals()
        let info = try ConnectionInfo.load(connectionFile)
        let interpreter = StrideKernelInterpreter()
        let kernel = try Kernel(connection: info, interpreter: interpreter)
        // the sockets are bound (a client's first connection succeeds); now the session, before any
        // thread can reach it
        _ = interpreter.session
        signals.setInterruptAction { [shared = kernel.shared] in shared.interrupt() }
        // the front end that started us died (even by `kill -9`): exit, as SIGTERM does
        ParentWatcher.start {
            fflush(nil)
            _exit(0)
        }
        kernel.run()
        interpreter.shutdown()
        fflush(nil)
        _exit(0)
    }
}
