/// The prefix operators: `-x` and `!x`.
public enum UnaryOperator: String, Sendable {
    case negate = "-", not = "!"
}

/// The binary operators of the language, as the parser reads them (`&&` and `||` short-circuit).
public enum BinaryOperator: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "**", matmul = "@"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case and = "&&", or = "||"

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: true
        default: false
        }
    }

    /// The six comparisons on any Comparable.
    @inline(__always) func compare<T: Comparable>(_ x: T, _ y: T) -> Bool {
        switch self {
        case .eq: x == y
        case .ne: x != y
        case .lt: x < y
        case .le: x <= y
        case .gt: x > y
        default: x >= y
        }
    }
}
