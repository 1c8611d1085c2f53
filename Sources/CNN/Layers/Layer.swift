/// A network layer: a `final class` with identity, so `model[0]` aliases a layer and an optimiser can hold
/// the model, as in PyTorch (`nn.Module`). A layer lists its parameters, buffers and children explicitly,
/// in `state_dict` order, keeps a read-only view of its latest output for inspection, and has train/eval
/// mode. What the language and the displays need to know about any layer is here, so no code elsewhere
/// switches on layer types: a new layer is its own file plus one line in the builtin table.
public protocol Layer: AnyObject {
    /// The layer's name as PyTorch prints it (`Conv2d`, `Sequential`).
    var typeName: String { get }
    /// Hyperparameters as PyTorch prints them inside the parentheses.
    var configDescription: String { get }
    /// Own parameters, `(name, tensor)`, in state_dict order (children's are not included).
    var namedParameters: [(String, Tensor)] { get }
    /// Own non-trainable state (running statistics), in state_dict order.
    var namedBuffers: [(String, Tensor)] { get }
    /// Child layers, `(name, layer)`, in order.
    var children: [(String, any Layer)] { get }
    /// Parameter slots that may be empty (`bias` of a layer built with `bias: false`), so they read as nil.
    var optionalParameterNames: [String] { get }
    /// Replaces parameter or buffer `name` (nil empties an optional slot); false when there is no such slot.
    func setParameter(_ name: String, _ value: Tensor?) throws -> Bool
    /// Replaces child `name`; false when there is no such child.
    func setChild(_ name: String, _ layer: any Layer) throws -> Bool
    /// Whether displays (activation maps, summaries) treat this layer as one unit rather than showing its
    /// children (a residual block's sum is not any child's output).
    var showsAsUnit: Bool { get }
    /// Whether the layer only composes others (its output is a child's output): `Sequential`, a list.
    var isContainer: Bool { get }
    /// The activation of the most recent forward pass (read-only, no graph attached).
    var output: Tensor? { get set }
    /// Training mode (dropout active, batch statistics).
    var isTraining: Bool { get set }
    /// Computes the layer's function (use `callAsFunction`, which also records `output`).
    func forward(_ x: Tensor) throws -> Tensor
}

extension Layer {
    public var configDescription: String { "" }
    public var namedParameters: [(String, Tensor)] { [] }
    public var namedBuffers: [(String, Tensor)] { [] }
    public var children: [(String, any Layer)] { [] }
    public var optionalParameterNames: [String] { [] }
    public func setParameter(_ name: String, _ value: Tensor?) throws -> Bool { false }
    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool { false }
    public var showsAsUnit: Bool { children.isEmpty }
    public var isContainer: Bool { false }

    /// Runs the layer on `x`: `invoke(input:)` with `forward`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let y = try invoke(input: x, { try forward(x) }) else {
            throw CNNError.type("\(typeName) returned no tensor")
        }
        return y
    }

    /// This layer and every descendant, once each (a layer that contains itself is visited once), in
    /// state_dict order, iteratively: the paths are made only when asked for, so a model nested a million deep
    /// is walked in linear time.
    public var layerTree: LayerTree {
        var tree = LayerTree()
        var seen = Set<ObjectIdentifier>()
        var stack: [(parent: Int, name: String, layer: any Layer)] = [(-1, "", self)]
        while let (parent, name, l) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(l)).inserted else { continue }
            let index = tree.layers.count
            tree.layers.append(l)
            tree.parents.append(parent)
            tree.names.append(name)
            for (n, c) in l.children.reversed() { stack.append((index, n, c)) }
        }
        return tree
    }

    /// This layer and every descendant with their dotted paths, in state_dict order (the paths of a deep model
    /// are long: prefer `layerTree` where not every path is needed).
    public var allLayers: [(String, any Layer)] {
        let tree = layerTree
        return tree.layers.indices.map { (tree.path($0), tree.layers[$0]) }
    }

    /// Every parameter of this layer and its descendants, named by dotted path (`0.weight`), each once.
    public var allNamedParameters: [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        let tree = layerTree
        for (i, l) in tree.layers.enumerated() {
            for (n, p) in l.namedParameters where seen.insert(ObjectIdentifier(p)).inserted {
                out.append((tree.path(i, then: n), p))
            }
        }
        return out
    }

    /// Every parameter, in state_dict order.
    public var parameters: [Tensor] { allNamedParameters.map { $0.1 } }

    /// Parameters and buffers by dotted path, in PyTorch `state_dict` order.
    public var stateDict: [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        let tree = layerTree
        for (i, l) in tree.layers.enumerated() {
            for (n, t) in l.namedParameters + l.namedBuffers { out.append((tree.path(i, then: n), t)) }
        }
        return out
    }

    /// Number of scalar parameters (trainable or not).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    /// Number of parameters that require grad.
    public var trainableCount: Int { parameters.filter { $0.requiresGrad }.reduce(0) { $0 + $1.count } }

    /// Sets training mode on this layer and every descendant.
    public func train(_ on: Bool = true) {
        for l in layerTree.layers { l.isTraining = on }
    }

    /// Sets evaluation mode.
    public func eval() { train(false) }
    /// Clears the gradients of every parameter.
    public func zeroGrad() { for p in parameters { p.grad = nil } }
    /// Stops (or restarts) gradients to every parameter, for transfer learning.
    public func freeze(_ on: Bool = true) { for p in parameters { p.requiresGrad = !on } }

    /// PyTorch-style nested description; a layer met again inside itself prints as a reference.
    public var treeDescription: String {
        var seen = Set<ObjectIdentifier>()
        func describe(_ l: any Layer, depth: Int) -> String {
            guard seen.insert(ObjectIdentifier(l)).inserted else { return "<\(l.typeName) shown above>" }
            defer { seen.remove(ObjectIdentifier(l)) }
            let kids = l.children
            if kids.isEmpty { return "\(l.typeName)(\(l.configDescription))" }
            guard depth < 200 else { return "\(l.typeName)(…)" }
            var s = "\(l.typeName)(\n"
            for (n, c) in kids {
                let inner = describe(c, depth: depth + 1).split(separator: "\n", omittingEmptySubsequences: false)
                    .joined(separator: "\n  ")
                s += "  (\(n)): \(inner)\n"
            }
            return s + ")"
        }
        return describe(self, depth: 0)
    }

    /// A tensor ready to be held as parameter `name` in place of `old`: the same shape, a floating-point
    /// leaf that requires grad (a computed tensor is detached; an Int64 one becomes Float32).
    public func adoptParameter(_ t: Tensor, replacing old: Tensor?, name: String) throws -> Tensor {
        if let old, old.shape != t.shape {
            throw CNNError.shape(
                "\(typeName).\(name) must keep shape \(shapeString(old.shape)), got \(shapeString(t.shape))")
        }
        var p = t.isLeaf ? t : t.detach()
        if !p.dtype.isFloatingPoint { p = try p.to(.float32) }
        p.requiresGrad = old?.requiresGrad ?? true
        p.role = .parameter
        return p
    }

    /// A tensor ready to be held as buffer `name` in place of `old` (same shape, no gradient).
    public func adoptBuffer(_ t: Tensor, replacing old: Tensor, name: String) throws -> Tensor {
        guard old.shape == t.shape else {
            throw CNNError.shape(
                "\(typeName).\(name) must keep shape \(shapeString(old.shape)), got \(shapeString(t.shape))")
        }
        let b = try t.detach().to(old.dtype)
        b.role = .buffer
        return b
    }
}

/// A model's layers, each once, in state_dict order, with where each hangs: its parent's index (-1 for the
/// root) and its name under that parent.
public struct LayerTree {
    public var layers: [any Layer] = []
    public var parents: [Int] = []
    public var names: [String] = []

    /// The dotted path of layer `i` (`layer4.1.conv1`; empty for the root), with `leaf` appended when given.
    public func path(_ i: Int, then leaf: String? = nil) -> String {
        var parts: [String] = leaf.map { [$0] } ?? []
        var k = i
        while k > 0 {
            parts.append(names[k])
            k = parents[k]
        }
        return parts.reversed().joined(separator: ".")
    }

    /// For each layer, whether it lies inside a layer shown as one unit (a residual block's insides).
    public var insideUnits: [Bool] {
        var inside = [Bool](repeating: false, count: layers.count)
        for i in layers.indices where parents[i] >= 0 {
            let p = parents[i]
            inside[i] = inside[p] || layers[p].showsAsUnit
        }
        return inside
    }
}

/// A parameter tensor: a Float32 leaf that requires grad.
func parameter(_ shape: [Int]) throws -> Tensor {
    let t = try Tensor(shape: shape)
    t.requiresGrad = true
    t.role = .parameter
    return t
}

/// A buffer tensor (saved state that is not trained).
func buffer(_ t: Tensor) -> Tensor {
    t.role = .buffer
    return t
}

/// An `Int` or an `(h, w)` pair, as PyTorch's `int | tuple` arguments.
public struct IntPair: Sendable, Equatable, CustomStringConvertible {
    public var h: Int, w: Int
    public init(_ v: Int) {
        h = v
        w = v
    }
    public init(_ h: Int, _ w: Int) {
        self.h = h
        self.w = w
    }
    public var tuple: (Int, Int) { (h, w) }
    public var description: String { "(\(h), \(w))" }
}
