extension Tensor {
    /// Records a hand-written op (a Stride `op`): `out` (computed with recording off) becomes the result of
    /// one node whose pullback is `backward`; the inputs are saved, so modifying one in place before the
    /// backward pass is an error, as for built-in ops. Returns `out` itself when nothing requires grad.
    public static func recordCustom(
        _ out: Tensor, name: String, inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]
    ) -> Tensor {
        record(out, named: name, inputs, saving: inputs, backward)
    }
}
