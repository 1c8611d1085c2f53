/// A layer whose stages can be indexed, replaced, sliced and appended to, as a list can: `model[0]`,
/// `model[-1] = Linear(84, 3)`, `model[1:3]`, `model.append(…)`, `for layer in model`.
public protocol IndexableLayers: Layer {
    /// The stages, in order.
    var elements: [any Layer] { get }
    /// Replaces stage `i` (in range).
    func replace(at i: Int, with layer: any Layer)
    /// A new container of the stages at `positions`, keeping their state-dict names.
    func slice(_ positions: [Int]) -> any Layer
    func append(_ l: any Layer)
}

extension IndexableLayers {
    public var count: Int { elements.count }
}

/// Layers applied in order; indexable (`model[0]`), iterable, and growable (`append`).
public final class Sequential: IndexableLayers {
    public var layers: [any Layer]
    /// Names of the children (state_dict prefixes): "0", "1", … unless given.
    public var names: [String]
    public var output: Tensor?
    public var isTraining = true

    public init(_ layers: [any Layer], names: [String]? = nil) {
        self.layers = layers
        self.names = names ?? layers.indices.map(String.init)
    }

    /// A million nested Sequentials are freed without recursion.
    deinit { DeferredRelease.dispose(layers: &layers) }

    public var typeName: String { "Sequential" }
    public var isContainer: Bool { true }
    public var children: [(String, any Layer)] { Array(zip(names, layers)) }

    public func setChild(_ name: String, _ layer: any Layer) throws -> Bool {
        guard let i = names.firstIndex(of: name) else { return false }
        layers[i] = layer
        return true
    }

    /// Runs the stages in order; an error from one says which (`StageFailure`).
    public func forward(_ x: Tensor) throws -> Tensor {
        var h = x
        for (i, l) in layers.enumerated() {
            do {
                h = try l(h)
            } catch let f as StageFailure {
                throw f.within(i < names.count ? names[i] : String(i))
            } catch CNNError.interrupted {
                throw CNNError.interrupted
            } catch {
                throw StageFailure(stage: i < names.count ? names[i] : String(i), layer: l, input: h, error: error)
            }
        }
        return h
    }

    public var elements: [any Layer] { layers }

    public func replace(at i: Int, with layer: any Layer) { layers[i] = layer }

    public func slice(_ positions: [Int]) -> any Layer {
        Sequential(positions.map { layers[$0] }, names: positions.map { names[$0] })
    }

    /// Appends a layer (named by its index).
    public func append(_ l: any Layer) {
        layers.append(l)
        names.append(String(layers.count - 1))
    }
}
