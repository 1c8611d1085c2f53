/// Releases long chains of objects without recursion.
///
/// Freeing the head of a 100,000-op autograd chain, or of a list nested 100,000 deep, would otherwise
/// run one deinitialiser inside the other until the stack overflows. Containers hand their children to
/// `dispose` from their `deinit`: the first call on a thread drains a work list in a loop, and every
/// deinitialiser that runs meanwhile only appends to that list, so the stack depth stays constant.
public enum DeferredRelease {
    final class State {
        var pending: [AnyObject] = []
        var draining = false
    }

    static let local = ThreadLocal { State() }

    /// `dispose` for a container's layers (from its `deinit`), so layers nested a million deep are freed
    /// without recursion.
    public static func dispose(layers: inout [any Layer]) {
        var objects: [AnyObject] = layers
        layers = []
        dispose(&objects)
    }

    /// Takes over `objects` (the caller's array is emptied, so it holds no reference during the drain)
    /// and releases them, iteratively.
    public static func dispose(_ objects: inout [AnyObject]) {
        guard !objects.isEmpty else { return }
        let state = local.box.value
        state.pending.append(contentsOf: objects)
        objects = []
        guard !state.draining else { return }
        state.draining = true
        while let object = state.pending.popLast() {
            _ = object  // the last reference: its deinit may append more, never recurse
        }
        state.draining = false
    }
}
