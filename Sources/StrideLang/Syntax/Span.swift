/// A range of source text in Unicode code points, within one cell.
public struct Span: Sendable, Equatable, Hashable {
    /// The cell (execution count) or file the text came from.
    public var source: Int
    /// Start offset and end offset (exclusive), in code points from the start of the text.
    public var start: Int, end: Int
    /// 1-based line and column of the start.
    public var line: Int, column: Int

    public init(source: Int = 0, start: Int, end: Int, line: Int, column: Int) {
        self.source = source; self.start = start; self.end = end; self.line = line; self.column = column
    }
    /// The span from the start of `self` to the end of `other`.
    public func to(_ other: Span) -> Span {
        Span(source: source, start: start, end: Swift.max(end, other.end), line: line, column: column)
    }
    public static let unknown = Span(start: 0, end: 0, line: 1, column: 1)
}
