/// One recorded op in the graph: its inputs, its pullback (upstream gradient → one gradient per input,
/// nil where the input needs none) and the tensors its pullback reads, with the storage versions they
/// had when the op ran. The pullback captures inputs and saved buffers, never the output tensor itself,
/// so no ARC cycle forms.
final class GradNode {
    let name: String
    private(set) var inputs: [Tensor]
    private var pullback: ((Tensor) throws -> [Tensor?])?
    private var saved: [(tensor: Tensor, version: Int)]
    /// Whether the pullback reads its upstream gradient through strides (it uses tensor ops only), so a
    /// gradient that arrives as a view, such as a sum's expanded one, is passed as it is instead of copied.
    let takesViews: Bool

    init(
        name: String, inputs: [Tensor], saved: [Tensor], takesViews: Bool = false,
        pullback: @escaping (Tensor) throws -> [Tensor?]
    ) {
        self.name = name
        self.inputs = inputs
        self.pullback = pullback
        self.saved = saved.map { ($0, $0.storage.version) }
        self.takesViews = takesViews
    }

    deinit {
        // Hand every tensor this node holds to DeferredRelease, and drop the node's own references first,
        // so a long chain of nodes is freed iteratively rather than one deinit inside the next.
        var held: [AnyObject] = inputs
        held += saved.map { $0.tensor }
        inputs = []
        saved = []
        pullback = nil
        DeferredRelease.dispose(&held)
    }

    /// Whether a backward pass already freed this node.
    var isFreed: Bool { pullback == nil }

    /// Runs the pullback after checking that nothing it saved was modified in place.
    func run(_ g: Tensor) throws -> [Tensor?] {
        guard let pullback else {
            throw CNNError.value(
                "trying to backward through the graph a second time: the results of \(name) were freed by the "
                    + "first backward(); pass retain_graph: true to the first call to keep them")
        }
        for (t, v) in saved where t.storage.version != v {
            throw CNNError.value(
                "one of the tensors needed for gradient computation has been modified by an in-place operation: "
                    + "\(name) saved a \(t.dtype) tensor of shape \(shapeString(t.shape)) at version \(v), and it is "
                    + "now at version \(t.storage.version) (write into a .clone() instead)")
        }
        return try pullback(g)
    }

    /// Frees the pullback, its saved tensors and the edges (after a backward pass without `retainGraph`). A node
    /// that saved nothing stays, so a second backward through it works, as in PyTorch (whose error is about
    /// saved tensors that were freed).
    func free() {
        guard !saved.isEmpty else { return }
        var held: [AnyObject] = inputs
        held += saved.map { $0.tensor }
        pullback = nil
        saved = []
        inputs = []
        DeferredRelease.dispose(&held)
    }
}

/// Attaches a pullback to `out` when grad mode is on and some input requires gradients. This is how every
/// primitive op keeps its forward and backward side by side. `saving` lists the tensors whose values the
/// pullback reads: their versions are checked before it runs.
@inline(__always)
func record(
    _ out: Tensor, _ op: Primitive, _ inputs: [Tensor], saving saved: [Tensor] = [], takesViews: Bool = false,
    _ pullback: @escaping (Tensor) throws -> [Tensor?]
) -> Tensor {
    record(out, named: op.rawValue, inputs, saving: saved, takesViews: takesViews, pullback)
}

/// `record` under a name of its own: a user `op`'s, or a primitive's with its detail (`to(float64)`).
@inline(__always)
func record(
    _ out: Tensor, named name: String, _ inputs: [Tensor], saving saved: [Tensor] = [], takesViews: Bool = false,
    _ pullback: @escaping (Tensor) throws -> [Tensor?]
) -> Tensor {
    guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return out }
    out.requiresGrad = true
    out.node = GradNode(name: name, inputs: inputs, saved: saved, takesViews: takesViews, pullback: pullback)
    return out
}
