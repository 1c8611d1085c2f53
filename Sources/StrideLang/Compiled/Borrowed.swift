/// A reference the interpreter's hot paths read without reference counting, because something else is known
/// to keep the object alive for as long as the reference is used (a node's children by the node, the builtin
/// table by the process, a constant global's function by its binding). Every such site in the interpreter
/// goes through this type.
///
/// In an internal-checks build (`STRIDE_INTERNAL_CHECKS=1`, which `make test` runs the Swift tests and the
/// fuzzer under) it is an ordinary strong reference, so a broken lifetime assumption shows up as a test or
/// fuzz failure instead of memory corruption in a release build.
struct Borrowed<T: AnyObject> {
    #if STRIDE_INTERNAL_CHECKS
        let object: T
        init(_ object: T) { self.object = object }

        /// Runs `body` with the object.
        @inline(__always) func with<R>(_ body: (T) throws -> R) rethrows -> R { try body(object) }
    #else
        private let ref: Unmanaged<T>
        init(_ object: T) { ref = .passUnretained(object) }

        /// The object (retained by the caller from here on).
        var object: T { ref.takeUnretainedValue() }

        /// Runs `body` with the object, borrowed: no retain or release.
        @inline(__always) func with<R>(_ body: (T) throws -> R) rethrows -> R {
            try ref._withUnsafeGuaranteedRef(body)
        }
    #endif
}

/// A builtin table entry, borrowed.
typealias BuiltinRef = Borrowed<Builtin>
