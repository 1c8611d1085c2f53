/// The one place sizes a user can influence are validated: shapes, reshapes, padding, strides and
/// dilations, ranges, repeat counts and file headers all go through these checks, so an overflow or a
/// negative size is a clear error with the numbers, never a wrapped count and a short buffer.
public enum Shape {
    /// The most elements one tensor may have (2^48); the memory budget usually stops far earlier.
    public static let maxElements = 1 << 48

    /// Validates `shape` and returns its element count: every dimension non-negative, the product
    /// computed with overflow checks and at most `maxElements`.
    @discardableResult
    public static func count(_ shape: [Int], _ what: String = "shape") throws -> Int {
        // the sizes other than zero must multiply to at most 2^48 too, so no product of some of a shape's
        // sizes (a map's H·W, a stride) can overflow, even for an empty tensor
        var n = 1
        var empty = false
        for d in shape {
            guard d >= 0 else {
                throw CNNError.shape("negative dimension \(d) in \(what) \(shapeString(shape))")
            }
            if d == 0 { empty = true }
            let (p, overflow) = n.multipliedReportingOverflow(by: Swift.max(d, 1))
            guard !overflow, p <= maxElements else {
                throw CNNError.memory("\(what) \(shapeString(shape)) has too many elements (more than 2^48)")
            }
            n = p
        }
        return empty ? 0 : n
    }

    /// a · b, or a `MemoryError`-kind error naming `what`.
    public static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw CNNError.memory("\(what()): \(a) × \(b) overflows 64 bits") }
        return p
    }

    /// a + b, or an error naming `what`.
    public static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw CNNError.value("\(what()): \(a) + \(b) overflows 64 bits") }
        return s
    }

    /// A size argument (kernel, stride, padding, count): within `range`, or a `ValueError` with the number.
    public static func size(_ v: Int, _ what: String, atLeast lo: Int = 0, atMost hi: Int = 1 << 40) throws -> Int {
        guard v >= lo, v <= hi else {
            let bound = hi == 1 << 40 ? "at least \(lo)" : "in \(lo)...\(hi)"
            throw CNNError.value("\(what) must be \(bound), got \(v)")
        }
        return v
    }

    /// A float that becomes an integer (labels, indices, `Int(x)`): finite, whole when `exact`, in range.
    public static func integer(_ x: Double, _ what: String, exact: Bool = false) throws -> Int {
        guard x.isFinite else { throw CNNError.value("\(what) is \(x), which is not an integer") }
        guard x >= -9.223_372_036_854_775e18, x < 9.223_372_036_854_775e18 else {
            throw CNNError.value("\(what) \(x) is out of the range of a 64-bit integer")
        }
        guard !exact || x == x.rounded(.towardZero) else {
            throw CNNError.value("\(what) \(x) is not a whole number")
        }
        return Int(x)
    }
}

/// Formats a shape as `[1, 3, 32, 32]`.
public func shapeString(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }

/// Row-major strides for a shape.
public func contiguousStrides(_ shape: [Int]) -> [Int] {
    var st = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        st[i] = acc
        acc = acc &* Swift.max(shape[i], 1)
    }
    return st
}

/// Normalises a possibly negative dimension index against `ndim`.
public func normalizeDim(_ d: Int, _ ndim: Int, _ what: String = "dim") throws -> Int {
    let r = d < 0 ? d &+ ndim : d
    guard r >= 0 && r < ndim else {
        throw CNNError.index("\(what) \(d) is out of range for a tensor with \(ndim) dimension\(ndim == 1 ? "" : "s")")
    }
    return r
}

/// Broadcast shape of two shapes (NumPy rules).
public func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let n = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        if da == db || db == 1 {
            out[i] = da
        } else if da == 1 {
            out[i] = db
        } else {
            throw CNNError.shape(
                "shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast: dimension \(i - n) is \(da) vs \(db)"
            )
        }
    }
    return out
}

/// Strides that read a tensor of `shape` with `strides` as if broadcast to `target` (0 on broadcast dims).
func broadcastStrides(_ shape: [Int], _ strides: [Int], to target: [Int]) -> [Int] {
    let off = target.count - shape.count
    return (0..<target.count).map { i in
        i < off ? 0 : (shape[i - off] == 1 && target[i] != 1 ? 0 : strides[i - off])
    }
}
