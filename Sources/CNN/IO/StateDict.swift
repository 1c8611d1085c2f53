/// Model state with PyTorch `state_dict` key names (`0.weight`, `features.3.bias`), so
/// weights move between Stride and PyTorch through NumPy `.npz`.
public enum StateDict {
    /// Writes every parameter and buffer of `model` to an `.npz`.
    public static func save(_ model: any Layer, to path: String) throws {
        try NPZ.write(model.stateDict.map { ($0.0, $0.1.detach()) }, to: path)
    }

    /// Loads an `.npz` into `model` in place; every key must match in name and shape.
    @discardableResult
    public static func load(into model: any Layer, from path: String, strict: Bool = true) throws -> [String] {
        let items = try NPZ.read(path)
        let mine = model.stateDict
        var loaded: [String] = []
        let byName = Dictionary(items, uniquingKeysWith: { a, _ in a })
        for (k, t) in mine {
            guard let src = byName[k] else {
                if strict {
                    throw CNNError.io(
                        "\(path) has no entry '\(k)' (it has: \(items.prefix(6).map { $0.0 }.joined(separator: ", "))\(items.count > 6 ? ", …" : ""))"
                    )
                }
                continue
            }
            guard src.shape == t.shape || (src.count == t.count && src.count <= 1) else {
                throw CNNError.shape(
                    "\(path): '\(k)' has shape \(shapeString(src.shape)), the model expects \(shapeString(t.shape))")
            }
            try withNoGrad { try t.detach().assign(src.reshaped(t.shape)) }
            loaded.append(k)
        }
        if strict, let extra = items.first(where: { item in !mine.contains { $0.0 == item.0 } }) {
            throw CNNError.io("\(path) has an entry '\(extra.0)' the model does not have")
        }
        return loaded
    }
}
