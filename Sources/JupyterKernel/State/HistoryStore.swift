import Foundation

/// The session's executed cells, for history_request: tail, range, search (glob, unique, n).
public struct HistoryStore: Sendable {
    public struct Entry: Sendable, Equatable {
        public var session: Int; public var line: Int; public var input: String; public var output: String?
    }
    public private(set) var entries: [Entry] = []
    public let session: Int
    public init(session: Int = 1) { self.session = session }

    public mutating func append(line: Int, input: String, output: String?) {
        entries.append(Entry(session: session, line: line, input: input, output: output))
    }
    public mutating func clear() { entries.removeAll() }

    public func tail(_ n: Int) -> [Entry] { n <= 0 ? [] : Array(entries.suffix(n)) }

    /// Lines start..<stop of a session (0 or negative counts back from the current one).
    public func range(session s: Int, start: Int, stop: Int?) -> [Entry] {
        let target = s <= 0 ? session + s : s
        return entries.filter { e in e.session == target && e.line >= start && (stop.map { e.line < $0 } ?? true) }
    }

    /// Entries whose input matches a glob pattern; the last `n`, de-duplicated when `unique`.
    public func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        var hits = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
        if unique {
            var seen = Set<String>()
            hits = hits.reversed().filter { seen.insert($0.input).inserted }.reversed()
        }
        if let n, n > 0 { hits = Array(hits.suffix(n)) }
        return hits
    }
}
