import Foundation
import Synchronization

/// The write end of the SIGINT self-pipe; set once, before the handler is installed.
nonisolated(unsafe) private var interruptPipeWrite: Int32 = -1

/// The kernel's signals, handled without races.
///
/// Process-wide handlers are installed with `sigaction` at once, so whichever thread the kernel delivers
/// a signal to runs them — including threads that existed before us (OpenBLAS starts its pool when the
/// library loads, with nothing blocked). SIGTERM's handler exits with status 0 (`_exit` is
/// async-signal-safe); SIGINT's writes one byte to a pipe, and a dedicated thread reads it and runs the
/// interrupt action, if one is set (harmless when idle). The calling thread, and so every thread it starts
/// later (sockets, interpreter), blocks both signals, so their socket calls never see EINTR.
///
/// Dispatch signal sources were used before: on Linux they register asynchronously, so a SIGTERM that
/// arrived right after start-up could be lost and the kernel kept running.
final class KernelSignals: Sendable {
    private let onInterrupt = Mutex<(@Sendable () -> Void)?>(nil)

    /// Installs the handlers and starts the reading thread. Call first, from the main thread.
    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
            interruptPipeWrite = fds[1]
        }
        Self.install(SIGTERM) { _ in _exit(0) }
        Self.install(SIGINT) { _ in
            var byte: UInt8 = 1
            let saved = errno
            _ = write(interruptPipeWrite, &byte, 1)
            errno = saved
        }
        var both = sigset_t()
        sigemptyset(&both)
        sigaddset(&both, SIGINT)
        sigaddset(&both, SIGTERM)
        let readEnd = fds[0]
        let blocked = both
        let thread = Thread { [self] in
            var unblock = blocked
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)  // this thread may always take them
            self.readLoop(readEnd)
        }
        thread.name = "stride-signals"
        thread.start()
        pthread_sigmask(SIG_BLOCK, &both, nil)
    }

    /// What SIGINT does from now on.
    func setInterruptAction(_ action: @escaping @Sendable () -> Void) {
        onInterrupt.withLock { $0 = action }
    }

    private static func install(_ signo: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signo, &action, nil)
    }

    private func readLoop(_ fd: Int32) {
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            if let action = onInterrupt.withLock({ $0 }) { action() }
        }
    }
}
