import ArgumentParser
import Foundation
import JupyterKernel

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernel", abstract: "Start a Jupyter kernel from a connection file.")
    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.") var connectionFile: String

    func run() throws {
        // SIGTERM shuts down at once, from the first moment (before the sockets are bound);
        // _exit: no atexit handlers, which could deadlock against the socket threads mid-call.
        signal(SIGTERM, SIG_IGN)
        let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        sigterm.setEventHandler { fflush(nil); _exit(0) }
        sigterm.resume()
        // SIGINT interrupts the running cell and is harmless when idle (jupyter_client sends one before shutdown).
        signal(SIGINT, SIG_IGN)
        let info = try ConnectionInfo.load(connectionFile)
        let kernel = try Kernel(connection: info, interpreter: StrideKernelInterpreter())
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { kernel.interruptFromSignal() }
        sigint.resume()
        // keep the signal sources alive while serving (an optimised build may otherwise free them early)
        withExtendedLifetime((sigint, sigterm)) { kernel.run() }
        fflush(nil)
        _exit(0)
    }
}
