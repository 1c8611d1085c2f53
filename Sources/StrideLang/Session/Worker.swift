import Foundation

/// A dedicated thread with a large stack on which a session evaluates code, so deep
/// (but bounded) recursion never overflows a small pool thread's stack. The thread owns
/// only the job queue; when the session's `Worker` goes away the thread is told to exit.
final class Worker: @unchecked Sendable {
    /// The queue shared by the owner and the thread.
    private final class Queue: @unchecked Sendable {
        let cond = NSCondition()
        var jobs: [(run: () -> Void, done: DispatchSemaphore)] = []
        var stopped = false
        weak var thread: Thread?

        func loop() {
            while true {
                cond.lock()
                while jobs.isEmpty && !stopped { cond.wait() }
                if jobs.isEmpty && stopped { cond.unlock(); return }
                var job: (() -> Void)? = jobs[0].run
                let done = jobs[0].done
                jobs.removeFirst()
                cond.unlock()
                job?()
                job = nil  // release the closure before the caller's frame ends
                done.signal()
            }
        }
    }

    private let queue = Queue()

    init(stackSize: Int = 512 << 20) {
        let q = queue
        let t = Thread { q.loop() }
        t.stackSize = stackSize
        t.name = "stride-interpreter"
        q.thread = t
        t.start()
    }

    deinit {
        queue.cond.lock()
        queue.stopped = true
        queue.cond.broadcast()
        queue.cond.unlock()
    }

    /// Runs `body` on the worker thread and waits for it.
    func perform<R>(_ body: () throws -> R) throws -> R {
        if Thread.current === queue.thread { return try body() }
        return try withoutActuallyEscaping(body) { b in
            nonisolated(unsafe) var result: Result<R, any Error>? = nil
            nonisolated(unsafe) let work = b
            let sem = DispatchSemaphore(value: 0)
            queue.cond.lock()
            queue.jobs.append((run: { result = Result { try work() } }, done: sem))
            queue.cond.broadcast()
            queue.cond.unlock()
            sem.wait()
            guard let r = result else {
                throw StrideError(.value, "internal: the interpreter thread returned no result")
            }
            return try r.get()
        }
    }
}
