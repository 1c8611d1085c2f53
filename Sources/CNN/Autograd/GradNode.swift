/// One recorded op in the graph: its inputs and its pullback (upstream gradient →
/// one gradient per input, nil where the input needs none). The pullback captures
/// inputs and saved buffers, never the output tensor itself, so no ARC cycle forms.
final class GradNode {
    let name: String
    let inputs: [Tensor]
    let pullback: (Tensor) throws -> [Tensor?]
    init(name: String, inputs: [Tensor], pullback: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name; self.inputs = inputs; self.pullback = pullback
    }
}

/// Attaches a pullback to `out` when grad mode is on and some input requires gradients.
/// This is how every primitive op keeps its forward and backward side by side.
@inline(__always)
func record(_ out: Tensor, _ name: String, _ inputs: [Tensor], _ pullback: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
    guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return out }
    out.requiresGrad = true
    out.node = GradNode(name: name, inputs: inputs, pullback: pullback)
    return out
}
