/// The resolved program: a tree of evaluation nodes, one class per construct, with every name already
/// turned into a slot, a captured cell or a global cell, so evaluation does no string look-ups. Each node
/// keeps its span for errors.
class Node {
    let span: Span
    init(span: Span) { self.span = span }

    /// Evaluates the expression in `f`.
    func eval(_ f: inout Frame) throws -> Value {
        throw StrideError(.syntax, "internal: \(type(of: self)) is not an expression", span: span)
    }
}

/// How a statement ended.
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

/// A compiled statement.
class StmtNode {
    let span: Span
    init(span: Span) { self.span = span }

    func exec(_ f: inout Frame) throws -> Flow {
        throw StrideError(.syntax, "internal: \(type(of: self)) is not a statement", span: span)
    }
}

/// A block: statements run in order until one breaks the flow.
final class BlockNode: StmtNode {
    let statements: [StmtNode]

    init(statements: [StmtNode], span: Span) {
        self.statements = statements
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        for s in statements {
            let flow = try s.exec(&f)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }
}

/// The state of one running function: its local slots (on the interpreter's value stack), its cells (the
/// locals closures capture), the cells it captured, and the value a `return` left.
struct Frame {
    let locals: UnsafeMutablePointer<Value>
    let cells: UnsafeMutablePointer<Cell>?
    unowned(unsafe) let interp: Interpreter
    /// The function running (nil for a cell's top level); a user layer's methods find `self` through it.
    unowned(unsafe) let function: Function?
    var returnValue: Value = .none

    /// The variables the running function captured.
    @inline(__always) func capture(_ i: Int) -> Cell {
        function.map { $0.captures[i] } ?? Cell(.none, mutable: false)
    }
}

/// The interpreter's stack of local slots: one region, frames pushed and popped in call order.
final class ValueStack {
    let base: UnsafeMutablePointer<Value>
    let capacity: Int
    private(set) var top = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: top)
        base.deallocate()
    }

    @inline(never) func overflow(_ span: Span) -> StrideError {
        StrideError(
            .recursion, "out of space for local variables (\(capacity) slots): calls nested too deeply", span: span)
    }

    /// Pushes `n` nil slots and returns the first.
    @inline(__always) func reserve(_ n: Int, _ span: Span) throws -> UnsafeMutablePointer<Value> {
        guard top + n <= capacity else { throw overflow(span) }
        let p = base + top
        p.initialize(repeating: .none, count: n)
        top += n
        return p
    }

    @inline(__always) func push(_ v: Value, _ span: Span) throws {
        guard top < capacity else { throw overflow(span) }
        (base + top).initialize(to: v)
        top += 1
    }

    /// Pops back to `mark`, releasing the values above it.
    @inline(__always) func pop(to mark: Int) {
        // one value at a time: a `Value`'s own destroy (nothing to do for numbers) rather than the generic
        // array destroy `deinitialize(count:)` calls, which a call's frame paid on every return
        while top > mark {
            top -= 1
            (base + top).deinitialize(count: 1)
        }
    }
}
