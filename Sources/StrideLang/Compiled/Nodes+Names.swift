import CNN

/// A constant.
final class ConstNode: Node {
    let value: Value
    init(_ value: Value, span: Span) {
        self.value = value
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value { value }
}

/// A local slot.
final class LocalNode: Node {
    let slot: Int
    init(slot: Int, span: Span) {
        self.slot = slot
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value { f.locals[slot] }
}

/// A local that closures capture (a cell of this frame).
final class CellNode: Node {
    let index: Int
    init(index: Int, span: Span) {
        self.index = index
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        guard let cells = f.cells else { throw StrideError(.name, "internal: no cells in this frame", span: span) }
        return cells[index].value
    }
}

/// A variable captured from an enclosing function.
final class CaptureNode: Node {
    let index: Int
    init(index: Int, span: Span) {
        self.index = index
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value { f.capture(index).value }
}

/// A session global, or the builtin of that name until a global is bound.
final class GlobalNode: Node {
    let cell: GlobalCell
    init(cell: GlobalCell, span: Span) {
        self.cell = cell
        super.init(span: span)
    }
    override func eval(_ f: inout Frame) throws -> Value {
        if let v = cell.value { return v }
        if let b = cell.builtin { return .builtin(b) }
        throw f.interp.nameError(cell.name, span)
    }
}

/// `self` inside a user layer's methods.
final class SelfNode: Node {
    override func eval(_ f: inout Frame) throws -> Value {
        guard let owner = f.function?.owner else {
            throw StrideError(.name, "'self' is only available inside a layer's body and methods", span: span)
        }
        return .layer(owner)
    }
}

/// `training` inside a user layer's methods: whether the layer is in training mode.
final class TrainingNode: Node {
    override func eval(_ f: inout Frame) throws -> Value {
        guard let owner = f.function?.owner else { return .bool(true) }
        return .bool(owner.isTraining)
    }
}

extension Interpreter {
    /// "cannot find 'x' in scope; did you mean 'y'?"
    func nameError(_ name: String, _ span: Span) -> StrideError {
        let shown = name.count > 80 ? String(name.prefix(40)) + "…(\(name.count) characters)" : name
        var msg = "cannot find '\(shown)' in scope"
        if let s = suggestion(for: name) { msg += "; did you mean '\(s)'?" }
        return StrideError(.name, msg, span: span)
    }

    func suggestion(for name: String) -> String? {
        guard name.count <= 64 else { return nil }
        let candidates = globals.bound.map(\.0) + Array(Builtins.table.keys)
        let lower = name.lowercased()
        if let c = candidates.first(where: { $0.lowercased() == lower && $0 != name }) { return c }
        let close = candidates.map { ($0, editDistance($0.lowercased(), lower)) }.filter {
            $0.1 <= Swift.max(1, name.count / 4)
        }
        return close.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }
}

/// Levenshtein distance, for "did you mean" suggestions (names longer than 64 characters are never close: the
/// distance is then at least their length difference, computed without the quadratic table).
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.prefix(65)), y = Array(b.prefix(65))
    if x.count > 64 || y.count > 64 { return Swift.max(64, Swift.abs(a.count - b.count)) }
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    for i in 1...x.count {
        var cur = [i] + [Int](repeating: 0, count: y.count)
        for j in 1...y.count {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[y.count]
}
