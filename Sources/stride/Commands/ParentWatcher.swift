import Foundation

/// Ends the kernel when the process that started it is gone, as ipykernel's parent poller does: a front end
/// killed with `kill -9` would otherwise leave its kernels running for good (leaked processes on JupyterHub).
///
/// Two signs, checked twice a second on a thread of its own: the process named by `JPY_PARENT_PID`
/// (jupyter_client sets it to the launching process) no longer exists, or this process has been re-parented
/// (`getppid()` differs from the parent at start: the parent died and init or a subreaper adopted us).
enum ParentWatcher {
    /// Starts watching; `onParentGone` runs once, on the watcher's thread.
    static func start(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onParentGone: @escaping @Sendable () -> Void
    ) {
        let original = getppid()
        let named = environment["JPY_PARENT_PID"].flatMap { Int32($0) }.flatMap { $0 > 1 ? $0 : nil }
        let thread = Thread {
            while true {
                usleep(500_000)
                if parentGone(original: original, named: named) {
                    onParentGone()
                    return
                }
            }
        }
        thread.name = "stride-parent-watcher"
        thread.start()
    }

    /// True when the launching process is gone.
    static func parentGone(original: Int32, named: Int32?) -> Bool {
        if original > 1 && getppid() != original { return true }
        if let pid = named, kill(pid, 0) != 0, errno == ESRCH { return true }
        return false
    }
}
