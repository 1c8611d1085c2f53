import Foundation

/// A dedicated thread with a large stack on which a session evaluates code, so deep
/// (but bounded) recursion never overflows a small pool thread's stack.
final class Worker: @unchecked Sendable {
    private let cond = NSCondition()
    private var jobs: [(run: () -> Void, done: DispatchSemaphore)] = []
    private var thread: Thread?

    init(stackSize: Int = 512 << 20) {
        let t = Thread { [unowned self] in self.loop() }
        t.stackSize = stackSize
        t.name = "stride-interpreter"
        thread = t
        t.start()
    }

    private func loop() {
        while true {
            cond.lock()
            while jobs.isEmpty { cond.wait() }
            var job: (() -> Void)? = jobs[0].run
            let done = jobs[0].done
            jobs.removeFirst()
            cond.unlock()
            job?()
            job = nil          // release the closure before the caller's frame ends
            done.signal()
        }
    }

    /// Runs `body` on the worker thread and waits for it.
    func perform<R>(_ body: () throws -> R) throws -> R {
        if Thread.current === thread { return try body() }
        return try withoutActuallyEscaping(body) { b in
            nonisolated(unsafe) var result: Result<R, any Error>? = nil
            nonisolated(unsafe) let work = b
            let sem = DispatchSemaphore(value: 0)
            cond.lock()
            jobs.append((run: { result = Result { try work() } }, done: sem))
            cond.broadcast()
            cond.unlock()
            sem.wait()
            guard let r = result else { throw StrideError(.value, "internal: the interpreter thread returned no result") }
            return try r.get()
        }
    }
}
