import Foundation

/// numpy/PyTorch-like text for tensors, eliding large ones (pure text; no MIME).
public enum TensorFormatter {
    /// Elements beyond which dimensions are elided to their first and last `edge` items.
    public static let threshold = 1000
    public static let edge = 3

    /// The values, then a line with shape, dtype and graph state.
    public static func describe(_ t: Tensor) -> String {
        var tail = "shape \(shapeString(t.shape)), \(t.dtype)"
        if let op = t.opName { tail += ", grad_fn: \(op)" } else if t.requiresGrad { tail += ", requires_grad" }
        return "tensor(" + body(t, indent: 7) + ")\n" + tail
    }

    /// Just the bracketed values.
    public static func body(_ t: Tensor, indent: Int = 0) -> String {
        let elide = t.count > threshold
        let vals = sampleValues(t, elide: elide)
        let fmt = chooseFormat(vals)
        let width = vals.map { fmt($0).count }.max() ?? 1
        if t.ndim == 0 { return fmt(t.storage.get(0)) }
        let strides = t.strides
        func rec(_ dim: Int, _ offset: Int, _ ind: Int) -> String {
            let n = t.shape[dim]
            let idx: [Int?] = (elide && n > 2 * edge) ? Array(0..<edge).map { Optional($0) } + [nil] + Array((n - edge)..<n).map { Optional($0) } : Array(0..<n).map { Optional($0) }
            if dim == t.ndim - 1 {
                return "[" + idx.map { i in i.map { pad(fmt(t.storage.get(offset + $0 * strides[dim])), width) } ?? "..." }.joined(separator: ", ") + "]"
            }
            let sep = ",\n" + String(repeating: "\n", count: Swift.max(0, t.ndim - dim - 2)) + String(repeating: " ", count: ind + 1)
            return "[" + idx.map { i in i.map { rec(dim + 1, offset + $0 * strides[dim], ind + 1) } ?? "..." }.joined(separator: sep) + "]"
        }
        return rec(0, 0, indent)
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

    static func sampleValues(_ t: Tensor, elide: Bool) -> [Double] {
        if !elide { return (0..<t.count).map { t.storage.get($0) } }
        let n = t.count
        return (0..<Swift.min(n, 500)).map { t.storage.get($0) } + (Swift.max(0, n - 500)..<n).map { t.storage.get($0) }
    }

    public static func chooseFormat(_ vals: [Double]) -> (Double) -> String {
        let finite = vals.filter { $0.isFinite }
        let maxAbs = finite.map { Swift.abs($0) }.max() ?? 0
        let minAbs = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 0
        func special(_ v: Double) -> String? { v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : nil) }
        if finite.allSatisfy({ $0 == $0.rounded() }) && maxAbs < 1e8 {
            return { v in special(v) ?? String(format: "%.0f.", v) }
        }
        if maxAbs >= 1e8 || (minAbs > 0 && minAbs < 1e-4) || (maxAbs / Swift.max(minAbs, 1e-300) > 1e6 && minAbs > 0) {
            return { v in special(v) ?? String(format: "%.4e", v) }
        }
        return { v in special(v) ?? String(format: "%.4f", v) }
    }
}
