import CNN

/// Specialised nodes for the shapes small loops and recursive functions are made of: a local or an Int
/// constant on either side of an arithmetic or comparison operator, a one-clause `if`, `return expr`.
/// Each does the same as the general node, with fewer calls and copies on the Int fast path.

/// A local slot and an Int constant on either side of an operator, with the general node for every other case.
class LocalConstNode: Node {
    let op: BinaryOperator
    let slot: Int
    let constant: Int
    let general: Node

    init(op: BinaryOperator, slot: Int, constant: Int, general: Node) {
        self.op = op
        self.slot = slot
        self.constant = constant
        self.general = general
        super.init(span: general.span)
    }
}

/// `local op constant` (`n - 1`, `i % 7`).
final class LocalConstArithmeticNode: LocalConstNode {
    override func eval(_ f: inout Frame) throws -> Value {
        if case .int(let x) = f.locals[slot], let r = op.ints(x, constant) { return .int(r) }
        return try general.eval(&f)
    }
}

/// `local cmp constant` (`n < 2`).
final class LocalConstCompareNode: LocalConstNode {
    override func eval(_ f: inout Frame) throws -> Value {
        if case .int(let x) = f.locals[slot] { return .bool(op.compare(x, constant)) }
        return try general.eval(&f)
    }
}

/// `if cond { … }` with one clause and no else, the condition tested inline.
final class IfThenNode: StmtNode {
    let cond: Node
    let body: BlockNode

    init(cond: Node, body: BlockNode, span: Span) {
        self.cond = cond
        self.body = body
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        let c = try cond.eval(&f)
        if case .bool(let b) = c {
            return b ? try body.list.exec(&f) : .normal
        }
        return try truth(c, cond.span, "if") ? try body.list.exec(&f) : .normal
    }
}

/// `return expr`.
final class ReturnValueNode: StmtNode {
    let value: Node

    init(value: Node, span: Span) {
        self.value = value
        super.init(span: span)
    }

    override func exec(_ f: inout Frame) throws -> Flow {
        f.returnValue = try value.eval(&f)
        return .returned
    }
}
