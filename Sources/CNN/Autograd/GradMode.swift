/// Whether ops record the graph, per task/thread (like PyTorch's thread-local grad mode). `withNoGrad`
/// turns recording off for a scope (optimiser updates, evaluation).
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` with graph recording off.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

/// Runs `body` with graph recording on (inside a no-grad scope).
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(true) { try body() }
}
