#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value per OS thread, made on first use. Stride keeps per-thread state (the release queue, the depth
/// of nested layer calls) here rather than in task-locals, because kernels and deinitialisers run on
/// plain threads.
final class ThreadLocal<T>: @unchecked Sendable {  // the key is set once; each thread sees its own box
    /// The per-thread box (a class, so callers mutate it in place).
    final class Box {
        var value: T
        init(_ value: T) { self.value = value }
    }

    private var key = pthread_key_t()
    private let make: () -> T

    init(_ make: @escaping () -> T) {
        self.make = make
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
        }
    }

    /// This thread's box.
    var box: Box {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue()
        }
        let fresh = Box(make())
        pthread_setspecific(key, Unmanaged.passRetained(fresh).toOpaque())
        return fresh
    }
}
