/// A lexical scope: names to bindings, with a parent. The session's global scope persists
/// across cells; function calls and blocks get child scopes.
final class Scope {
    struct Binding { var value: Value; var mutable: Bool; var execution: Int }
    var vars: [String: Binding] = [:]
    let parent: Scope?
    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Binding? {
        var s: Scope? = self
        while let c = s { if let b = c.vars[name] { return b }; s = c.parent }
        return nil
    }
    /// The scope that binds `name`.
    func owner(of name: String) -> Scope? {
        var s: Scope? = self
        while let c = s { if c.vars[name] != nil { return c }; s = c.parent }
        return nil
    }
    /// Every visible name.
    var allNames: [String] {
        var names = Set<String>()
        var s: Scope? = self
        while let c = s { names.formUnion(c.vars.keys); s = c.parent }
        return Array(names)
    }
}
