/// A lexical scope: names to bindings, with a parent. The session's global scope persists
/// across cells; function calls and blocks get child scopes.
///
/// Storage is tuned for the interpreter's hot path (a name looked up or assigned on every loop
/// iteration): bindings live in an array; a scope of a few names is searched linearly (comparing small
/// strings is cheaper than hashing them), a larger one through an open-addressing index with an FNV-1a
/// hash of the name's bytes — no per-lookup seeded hasher as `Dictionary` uses.
final class Scope {
    struct Binding { var value: Value; var mutable: Bool; var execution: Int }
    /// The names bound here, in the order they were first bound.
    private(set) var names: [String] = []
    private var bindings: [Binding] = []
    /// Open-addressing index (slot + 1, 0 = empty), a power of two at least twice `names.count`;
    /// empty while the scope is small enough to search linearly.
    private var index: [Int32] = []
    let parent: Scope?
    static let linearLimit = 8

    init(parent: Scope?) { self.parent = parent }

    @inline(__always) private static func hash(_ s: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Where `name` is bound in this scope (not its parents).
    @inline(__always) private func slot(_ name: String) -> Int? {
        if index.isEmpty {
            for i in names.indices where names[i] == name { return i }
            return nil
        }
        let mask = index.count - 1
        var j = Self.hash(name) & mask
        while true {
            let e = Int(index[j])
            if e == 0 { return nil }
            if names[e - 1] == name { return e - 1 }
            j = (j + 1) & mask
        }
    }

    private func insertIntoIndex(_ i: Int) {
        let mask = index.count - 1
        var j = Self.hash(names[i]) & mask
        while index[j] != 0 { j = (j + 1) & mask }
        index[j] = Int32(i + 1)
    }

    /// This scope's own binding of `name`.
    subscript(own name: String) -> Binding? { slot(name).map { bindings[$0] } }

    /// Binds (or rebinds) `name` in this scope.
    func set(_ name: String, _ binding: Binding) {
        if let i = slot(name) { bindings[i] = binding; return }
        names.append(name)
        bindings.append(binding)
        guard names.count > Self.linearLimit else { return }
        if index.count < 2 * names.count {
            var cap = 32
            while cap < 2 * names.count { cap *= 2 }
            index = [Int32](repeating: 0, count: cap)
            for i in names.indices { insertIntoIndex(i) }
        } else {
            insertIntoIndex(names.count - 1)
        }
    }

    /// Forgets every binding (keeping capacity, for a loop body's scope reused each iteration).
    func removeAll() {
        names.removeAll(keepingCapacity: true)
        bindings.removeAll(keepingCapacity: true)
        index = []
    }

    /// The nearest binding of `name`, here or in a parent.
    func lookup(_ name: String) -> Binding? {
        var s: Scope? = self
        while let c = s { if let i = c.slot(name) { return c.bindings[i] }; s = c.parent }
        return nil
    }

    enum AssignResult { case assigned, notFound, immutable }
    /// Gives the nearest binding of `name` a new value, if it exists and is a `var`.
    func assign(_ name: String, _ value: Value) -> AssignResult {
        var s: Scope? = self
        while let c = s {
            if let i = c.slot(name) {
                guard c.bindings[i].mutable else { return .immutable }
                c.bindings[i].value = value
                return .assigned
            }
            s = c.parent
        }
        return .notFound
    }

    /// This scope's bindings, in binding order.
    var entries: [(String, Binding)] { Array(zip(names, bindings)) }

    /// Every visible name.
    var allNames: [String] {
        var all = Set<String>()
        var s: Scope? = self
        while let c = s { all.formUnion(c.names); s = c.parent }
        return Array(all)
    }
}
