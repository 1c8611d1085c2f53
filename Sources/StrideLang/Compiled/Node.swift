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
    let list: NodeList<StmtNode>
    var statements: [StmtNode] { list.nodes }

    init(statements: [StmtNode], span: Span) {
        self.list = NodeList(statements)
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        try list.exec(&f)
    }
}

/// The state of one running function: its local slots (on the interpreter's value stack), its cells (the
/// locals closures capture), the cells it captured, and the value a `return` left.
struct Frame {
    let locals: UnsafeMutablePointer<Value>
    let cells: UnsafeMutablePointer<Cell>?
    #if STRIDE_INTERNAL_CHECKS
        unowned let interp: Interpreter
    #else
        unowned(unsafe) let interp: Interpreter
    #endif
    /// The interpreter's stack, call depth and interrupt flag, reached without reference counting.
    let stack: ValueStack
    /// The function running (nil for a cell's top level); a user layer's methods find `self` through it.
    #if STRIDE_INTERNAL_CHECKS
        unowned let function: Function?
    #else
        unowned(unsafe) let function: Function?
    #endif
    var returnValue: Value = .none

    init(
        locals: UnsafeMutablePointer<Value>, cells: UnsafeMutablePointer<Cell>?, interp: Interpreter, stack: ValueStack,
        function: Function?
    ) {
        self.locals = locals
        self.cells = cells
        self.interp = interp
        self.stack = stack
        self.function = function
    }

    /// The frame of a simple function called from `caller` (no cells; the interpreter copied unretained).
    @inline(__always) init(calling function: Function, locals: UnsafeMutablePointer<Value>, from caller: Frame) {
        self.locals = locals
        self.cells = nil
        self.interp = caller.interp
        self.stack = caller.stack
        self.function = function
    }

    /// The variables the running function captured.
    @inline(__always) func capture(_ i: Int) -> Cell {
        function.map { $0.captures[i] } ?? Cell(.none, mutable: false)
    }
}
