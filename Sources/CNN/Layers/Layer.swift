/// A network layer: a `final class` with identity, so `model[0]` aliases a layer and an
/// optimiser can hold the model, as in PyTorch. Layers list their parameters and
/// buffers explicitly, in `state_dict` order, keep the output of their latest forward
/// pass for inspection (`output`, detached), and have train/eval mode.
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
    /// The activation of the most recent forward pass (no graph attached).
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

    /// Runs the layer on `x` and keeps its output for inspection.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Cancellation.check()
        let y = try forward(x)
        output = y.detach()
        return y
    }

    /// Every parameter of this layer and its descendants, named by dotted path (`0.weight`).
    public var allNamedParameters: [(String, Tensor)] {
        var out = namedParameters
        for (n, c) in children { out += c.allNamedParameters.map { ("\(n).\($0.0)", $0.1) } }
        return out
    }
    /// Every parameter, in state_dict order.
    public var parameters: [Tensor] { allNamedParameters.map { $0.1 } }
    /// Parameters and buffers by dotted path, in PyTorch `state_dict` order.
    public var stateDict: [(String, Tensor)] {
        var out = namedParameters + namedBuffers
        for (n, c) in children { out += c.stateDict.map { ("\(n).\($0.0)", $0.1) } }
        return out
    }
    /// Number of scalar parameters (trainable or not).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    /// Number of parameters that require grad.
    public var trainableCount: Int { parameters.filter { $0.requiresGrad }.reduce(0) { $0 + $1.count } }

    /// Sets training mode on this layer and every descendant.
    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, c) in children { c.train(on) }
    }
    /// Sets evaluation mode.
    public func eval() { train(false) }
    /// Clears the gradients of every parameter.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// PyTorch-style nested description.
    public var treeDescription: String {
        let kids = children
        if kids.isEmpty { return "\(typeName)(\(configDescription))" }
        var s = "\(typeName)(\n"
        for (n, c) in kids {
            let inner = c.treeDescription.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
            s += "  (\(n)): \(inner)\n"
        }
        return s + ")"
    }
}

/// A parameter tensor: a Float32 leaf that requires grad.
func parameter(_ shape: [Int]) throws -> Tensor {
    let t = try Tensor(shape: shape)
    t.requiresGrad = true
    return t
}

/// An `Int` or an `(h, w)` pair, as PyTorch's `int | tuple` arguments.
public struct IntPair: Sendable, Equatable, CustomStringConvertible {
    public var h: Int, w: Int
    public init(_ v: Int) { h = v; w = v }
    public init(_ h: Int, _ w: Int) { self.h = h; self.w = w }
    public var tuple: (Int, Int) { (h, w) }
    public var description: String { "(\(h), \(w))" }
}
