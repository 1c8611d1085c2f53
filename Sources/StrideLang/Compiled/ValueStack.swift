import CNN

/// The interpreter's hot registers: its stack of local slots, the call depth and the interrupt flag. They
/// live at one fixed address (`ValueStack` is a handle to it), so calls and loops reach them through a plain
/// pointer, with no reference counting.
struct StackState {
    let base: UnsafeMutablePointer<Value>
    let capacity: Int
    var top = 0
    var callDepth = 0
    var maxCallDepth = 1000
    let interrupt: CancellationFlag
}

/// A handle to the interpreter's `StackState`: one region of value slots, frames pushed and popped in call
/// order. Copies of the handle share the state; `StackStorage` owns it.
struct ValueStack {
    let state: UnsafeMutablePointer<StackState>

    var base: UnsafeMutablePointer<Value> { state.pointee.base }
    var capacity: Int { state.pointee.capacity }
    var top: Int { state.pointee.top }

    var callDepth: Int {
        get { state.pointee.callDepth }
        nonmutating set { state.pointee.callDepth = newValue }
    }

    var maxCallDepth: Int {
        get { state.pointee.maxCallDepth }
        nonmutating set { state.pointee.maxCallDepth = newValue }
    }

    /// Whether an interrupt is pending.
    @inline(__always) var interrupted: Bool { state.pointee.interrupt.isSet }

    @inline(never) func overflow(_ span: Span) -> StrideError {
        StrideError(
            .recursion, "out of space for local variables (\(capacity) slots): calls nested too deeply", span: span)
    }

    /// Pushes `n` nil slots and returns the first.
    @inline(__always) func reserve(_ n: Int, _ span: Span) throws -> UnsafeMutablePointer<Value> {
        let top = state.pointee.top
        guard top + n <= state.pointee.capacity else { throw overflow(span) }
        let p = state.pointee.base + top
        p.initialize(repeating: .none, count: n)
        state.pointee.top = top + n
        return p
    }

    @inline(__always) func push(_ v: consuming Value, _ span: Span) throws {
        let top = state.pointee.top
        guard top < state.pointee.capacity else { throw overflow(span) }
        (state.pointee.base + top).initialize(to: v)
        state.pointee.top = top + 1
    }

    /// Pops back to `mark`, releasing the values above it.
    @inline(__always) func pop(to mark: Int) {
        // one value at a time: a `Value`'s own destroy (nothing to do for numbers) rather than the generic
        // array destroy `deinitialize(count:)` calls, which a call's frame paid on every return
        var top = state.pointee.top
        let base = state.pointee.base
        while top > mark {
            top -= 1
            (base + top).deinitialize(count: 1)
            state.pointee.top = top
        }
    }
}

/// Owns the memory behind a `ValueStack` (and keeps the interrupt token its flag belongs to).
final class StackStorage {
    let stack: ValueStack
    private let token: CancellationToken

    init(capacity: Int, token: CancellationToken) {
        self.token = token
        let base = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        let state = UnsafeMutablePointer<StackState>.allocate(capacity: 1)
        state.initialize(to: StackState(base: base, capacity: capacity, interrupt: token.flag))
        stack = ValueStack(state: state)
    }

    deinit {
        stack.base.deinitialize(count: stack.top)
        stack.base.deallocate()
        stack.state.deinitialize(count: 1)
        stack.state.deallocate()
    }
}
