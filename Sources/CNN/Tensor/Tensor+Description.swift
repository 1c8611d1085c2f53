import Foundation

/// NumPy/PyTorch-like text for tensors, eliding large ones (pure text; no MIME).
public enum TensorFormatter {
    /// Elements beyond which dimensions are elided to their first and last `edge` items.
    public static let threshold = 1000
    public static let edge = 3

    /// The values, then a line with shape, dtype and graph state.
    public static func describe(_ t: Tensor) -> String {
        var tail = "shape \(shapeString(t.shape)), \(t.dtype)"
        if let op = t.opName {
            tail += ", grad_fn: \(op)"
        } else if t.requiresGrad {
            tail += ", requires_grad"
        }
        return "tensor(" + body(t, indent: 7) + ")\n" + tail
    }

    /// Just the bracketed values.
    public static func body(_ t: Tensor, indent: Int = 0) -> String {
        let elide = t.count > threshold
        let vals = sampleValues(t, elide: elide)
        let fmt = t.dtype == .int64 ? { (v: Double) in String(Int64(clampingForInt: v)) } : chooseFormat(vals)
        let width = vals.map { fmt($0).count }.max() ?? 1
        if t.ndim == 0 { return fmt(t.storage.get(t.offset)) }
        if t.count == 0 { return "[]" }
        func rec(_ dim: Int, _ offset: Int, _ ind: Int) -> String {
            let n = t.shape[dim]
            let idx: [Int?] =
                (elide && n > 2 * edge)
                ? Array(0..<edge).map { Optional($0) } + [nil] + Array((n - edge)..<n).map { Optional($0) }
                : Array(0..<n).map { Optional($0) }
            if dim == t.ndim - 1 {
                let items = idx.map { i in
                    i.map { pad(fmt(t.storage.get(offset + $0 * t.strides[dim])), width) } ?? "..."
                }
                return "[" + items.joined(separator: ", ") + "]"
            }
            let sep =
                ",\n" + String(repeating: "\n", count: Swift.max(0, t.ndim - dim - 2))
                + String(repeating: " ", count: ind + 1)
            return "["
                + idx.map { i in i.map { rec(dim + 1, offset + $0 * t.strides[dim], ind + 1) } ?? "..." }.joined(
                    separator: sep) + "]"
        }
        return rec(0, t.offset, indent)
    }

    static func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s : String(repeating: " ", count: w - s.count) + s
    }

    /// The values that will be shown (all, or the first and last 500 when elided), for the format.
    static func sampleValues(_ t: Tensor, elide: Bool) -> [Double] {
        if !elide { return t.values }
        var out: [Double] = []
        var k = 0
        let n = t.count
        t.forEachStorageIndex { p in
            if k < 500 || k >= n - 500 { out.append(t.storage.get(p)) }
            k += 1
        }
        return out
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
