/// Unary elementwise functions: each case gives its forward value and its derivative
/// side by side (`f` and `df`), so a new function is one case with two formulas.
public enum UnaryFn: Sendable, Equatable {
    case neg, exp, log, sqrt, abs, sign, square
    case relu, leakyRelu(Double), elu(Double), sigmoid, tanh
    case pow(Double)
    case clamp(Double?, Double?)

    var name: String {
        switch self {
        case .neg: "neg"; case .exp: "exp"; case .log: "log"; case .sqrt: "sqrt"; case .abs: "abs"
        case .sign: "sign"; case .square: "square"; case .relu: "relu"; case .leakyRelu: "leaky_relu"
        case .elu: "elu"; case .sigmoid: "sigmoid"; case .tanh: "tanh"; case .pow: "pow"; case .clamp: "clamp"
        }
    }
    var differentiable: Bool { self != .sign }

    /// Forward value.
    @inline(__always) func f<T: TensorScalar>(_ x: T) -> T {
        switch self {
        case .neg: return -x
        case .exp: return T.exp(x)
        case .log: return T.log(x)
        case .sqrt: return T.sqrt(x)
        case .abs: return Swift.abs(x)
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .square: return x * x
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let s): return x > 0 ? x : T(s) * x
        case .elu(let a): return x > 0 ? x : T(a) * (T.exp(x) - 1)
        case .sigmoid: return x >= 0 ? 1 / (1 + T.exp(-x)) : T.exp(x) / (1 + T.exp(x))
        case .tanh: return T.tanh(x)
        case .pow(let p): return p == 2 ? x * x : T.pow(x, T(p))
        case .clamp(let lo, let hi):
            var v = x
            if let lo, v < T(lo) { v = T(lo) }
            if let hi, v > T(hi) { v = T(hi) }
            return v
        }
    }

    /// Derivative dy/dx at input `x` with output `y`.
    @inline(__always) func df<T: TensorScalar>(_ x: T, _ y: T) -> T {
        switch self {
        case .neg: return -1
        case .exp: return y
        case .log: return 1 / x
        case .sqrt: return 1 / (2 * y)
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .sign: return 0
        case .square: return 2 * x
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu(let s): return x > 0 ? 1 : T(s)
        case .elu(let a): return x > 0 ? 1 : y + T(a)
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .pow(let p): return p == 2 ? 2 * x : T(p) * T.pow(x, T(p - 1))
        case .clamp(let lo, let hi):
            if let lo, x < T(lo) { return 0 }
            if let hi, x > T(hi) { return 0 }
            return 1
        }
    }
}

/// Binary elementwise operators with numpy broadcasting.
public enum BinaryOp: Sendable {
    case add, sub, mul, div, maximum, minimum, eq, ne, lt, le, gt, ge
    var symbol: String {
        switch self {
        case .add: "+"; case .sub: "-"; case .mul: "*"; case .div: "/"; case .maximum: "maximum"; case .minimum: "minimum"
        case .eq: "=="; case .ne: "!="; case .lt: "<"; case .le: "<="; case .gt: ">"; case .ge: ">="
        }
    }
}

extension Tensor {
    /// Applies a unary function elementwise (differentiable except `sign`).
    public func apply(_ fn: UnaryFn) throws -> Tensor {
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        if dtype == .float32 { UnaryKernels.forward(fn, storage.floats, out.storage.floats, count) }
        else { UnaryKernels.forward(fn, storage.doubles, out.storage.doubles, count) }
        guard fn.differentiable else { return out }
        let ySaved = out.detach()   // saved buffer, not the output node
        return record(out, fn.name, [self]) { [self] g in
            let gx = try Tensor(shape: shape, dtype: dtype, zeroed: false)
            if dtype == .float32 { UnaryKernels.backward(fn, storage.floats, ySaved.storage.floats, g.storage.floats, gx.storage.floats, count) }
            else { UnaryKernels.backward(fn, storage.doubles, ySaved.storage.doubles, g.storage.doubles, gx.storage.doubles, count) }
            return [gx]
        }
    }

    public func exp() throws -> Tensor { try apply(.exp) }
    public func log() throws -> Tensor { try apply(.log) }
    public func sqrt() throws -> Tensor { try apply(.sqrt) }
    public func abs() throws -> Tensor { try apply(.abs) }
    public func pow(_ p: Double) throws -> Tensor { try apply(.pow(p)) }
    public func clamp(min lo: Double? = nil, max hi: Double? = nil) throws -> Tensor { try apply(.clamp(lo, hi)) }
    public func neg() throws -> Tensor { try apply(.neg) }

    /// Elementwise binary op with broadcasting and dtype promotion (Float32 op Float64 → Float64).
    public func binary(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        if dtype != other.dtype {
            return dtype == .float32 ? try to(.float64).binary(op, other) : try binary(op, other.to(.float64))
        }
        let a = self, b = other
        let outShape = try broadcastShapes(a.shape, b.shape)
        let out = try Tensor(shape: outShape, dtype: dtype, zeroed: false)
        func run<T: TensorScalar>(_: T.Type) {
            let pa = a.storage.pointer(T.self), pb = b.storage.pointer(T.self), po = out.storage.pointer(T.self)
            switch op {
            case .add: Self.loop(a, b, out, pa, pb, po) { $0 + $1 }
            case .sub: Self.loop(a, b, out, pa, pb, po) { $0 - $1 }
            case .mul: Self.loop(a, b, out, pa, pb, po) { $0 * $1 }
            case .div: Self.loop(a, b, out, pa, pb, po) { $0 / $1 }
            case .maximum: Self.loop(a, b, out, pa, pb, po) { $0 >= $1 ? $0 : $1 }
            case .minimum: Self.loop(a, b, out, pa, pb, po) { $0 <= $1 ? $0 : $1 }
            case .eq: Self.loop(a, b, out, pa, pb, po) { $0 == $1 ? 1 : 0 }
            case .ne: Self.loop(a, b, out, pa, pb, po) { $0 != $1 ? 1 : 0 }
            case .lt: Self.loop(a, b, out, pa, pb, po) { $0 < $1 ? 1 : 0 }
            case .le: Self.loop(a, b, out, pa, pb, po) { $0 <= $1 ? 1 : 0 }
            case .gt: Self.loop(a, b, out, pa, pb, po) { $0 > $1 ? 1 : 0 }
            case .ge: Self.loop(a, b, out, pa, pb, po) { $0 >= $1 ? 1 : 0 }
            }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        switch op {
        case .add:
            return record(out, "add", [a, b]) { g in [try g.sumTo(a.shape), try g.sumTo(b.shape)] }
        case .sub:
            return record(out, "sub", [a, b]) { g in [try g.sumTo(a.shape), try g.neg().sumTo(b.shape)] }
        case .mul:
            return record(out, "mul", [a, b]) { g in
                [a.requiresGrad ? try (g * b).sumTo(a.shape) : nil, b.requiresGrad ? try (g * a).sumTo(b.shape) : nil]
            }
        case .div:
            return record(out, "div", [a, b]) { g in
                [a.requiresGrad ? try (g / b).sumTo(a.shape) : nil,
                 b.requiresGrad ? try (g * a / (b * b)).neg().sumTo(b.shape) : nil]
            }
        case .maximum, .minimum:
            return record(out, op.symbol, [a, b]) { g in
                let pick = try op == .maximum ? a.binary(.ge, b) : a.binary(.le, b)
                return [try (g * pick).sumTo(a.shape), try (g * (1 - pick)).sumTo(b.shape)]
            }
        default:
            return out
        }
    }

    /// The broadcasting loop: fast paths for equal shapes and scalars, else strided rows.
    @inline(__always)
    static func loop<T: TensorScalar>(_ a: Tensor, _ b: Tensor, _ out: Tensor,
                                      _ pa: UnsafeMutablePointer<T>, _ pb: UnsafeMutablePointer<T>, _ po: UnsafeMutablePointer<T>,
                                      _ f: (T, T) -> T) {
        let n = out.count
        if a.shape == b.shape { for i in 0..<n { po[i] = f(pa[i], pb[i]) }; return }
        if b.count == 1 && a.count == n { let s = pb[0]; for i in 0..<n { po[i] = f(pa[i], s) }; return }
        if a.count == 1 && b.count == n { let s = pa[0]; for i in 0..<n { po[i] = f(s, pb[i]) }; return }
        let shape = out.shape
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        let nd = shape.count
        let inner = shape[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1]
        var idx = [Int](repeating: 0, count: nd)
        var oa = 0, ob = 0, o = 0
        let rows = n / Swift.max(inner, 1)
        if inner == 0 { return }
        for _ in 0..<rows {
            var pA = oa, pB = ob
            for j in 0..<inner { po[o + j] = f(pa[pA], pb[pB]); pA += ia; pB += ib }
            o += inner
            var k = nd - 2
            while k >= 0 {
                idx[k] += 1; oa += sa[k]; ob += sb[k]
                if idx[k] < shape[k] { break }
                oa -= sa[k] * shape[k]; ob -= sb[k] * shape[k]; idx[k] = 0; k -= 1
            }
        }
    }

    /// Sums a broadcast gradient back down to `target` shape.
    public func sumTo(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        var t = self
        let extra = shape.count - target.count
        if extra > 0 { t = try t.sum(dims: Array(0..<extra), keepdim: false) }
        var dims: [Int] = []
        for (i, d) in target.enumerated() where d == 1 && t.shape[i] != 1 { dims.append(i) }
        if !dims.isEmpty { t = try t.sum(dims: dims, keepdim: true) }
        return t.shape == target ? t : try t.reshaped(target)
    }

    /// Materialises this tensor broadcast to `target` shape (differentiable).
    public func expanded(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let bshape = try broadcastShapes(shape, target)
        guard bshape == target else {
            throw CNNError.shape("cannot expand shape \(shapeString(shape)) to \(shapeString(target))")
        }
        let out = try Tensor(shape: target, dtype: dtype, zeroed: false)
        let st = broadcastStrides(shape, to: target)
        if dtype == .float32 { StridedKernels.gather(storage.floats, offset: 0, strides: st, shape: target, out.storage.floats) }
        else { StridedKernels.gather(storage.doubles, offset: 0, strides: st, shape: target, out.storage.doubles) }
        let src = shape
        return record(out, "expand", [self]) { g in [try g.sumTo(src)] }
    }

    /// Fills where `mask` is nonzero with `value` (no gradient through the mask).
    public func masked(_ mask: Tensor, fill value: Double) throws -> Tensor {
        let m = try mask.to(dtype)
        let keep = try 1 - m
        return try self * keep + m * value
    }
}

/// Strides that read `shape` as if broadcast to `target` (0 on broadcast dimensions).
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let st = contiguousStrides(shape)
    let off = target.count - shape.count
    return (0..<target.count).map { i in
        i < off ? 0 : (shape[i - off] == 1 && target[i] != 1 ? 0 : st[i - off])
    }
}

// MARK: Operators

public func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.add, b) }
public func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.sub, b) }
public func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.mul, b) }
public func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.div, b) }
public func + (a: Tensor, b: Double) throws -> Tensor { try a.binary(.add, Tensor(scalar: b, dtype: a.dtype)) }
public func - (a: Tensor, b: Double) throws -> Tensor { try a.binary(.sub, Tensor(scalar: b, dtype: a.dtype)) }
public func * (a: Tensor, b: Double) throws -> Tensor { try a.binary(.mul, Tensor(scalar: b, dtype: a.dtype)) }
public func / (a: Tensor, b: Double) throws -> Tensor { try a.binary(.div, Tensor(scalar: b, dtype: a.dtype)) }
public func + (a: Double, b: Tensor) throws -> Tensor { try Tensor(scalar: a, dtype: b.dtype).binary(.add, b) }
public func - (a: Double, b: Tensor) throws -> Tensor { try Tensor(scalar: a, dtype: b.dtype).binary(.sub, b) }
public func * (a: Double, b: Tensor) throws -> Tensor { try Tensor(scalar: a, dtype: b.dtype).binary(.mul, b) }
public func / (a: Double, b: Tensor) throws -> Tensor { try Tensor(scalar: a, dtype: b.dtype).binary(.div, b) }
