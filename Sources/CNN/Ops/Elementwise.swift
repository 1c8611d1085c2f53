/// Elementwise ops: unary functions (each with its derivative beside it), binary operators with NumPy
/// broadcasting and type promotion, broadcasting helpers.

/// Unary elementwise functions: each case gives its forward value and its derivative side by side (`f`
/// and `df`), so a new function is one case with two formulas.
public enum UnaryFn: Sendable, Equatable {
    case neg, exp, log, sqrt, abs, sign, square
    case relu, leakyRelu(Double), elu(Double), sigmoid, tanh
    case pow(Double)
    case clamp(Double?, Double?)

    /// The primitive a recorded call of this function is (nil for `sign`, which has no gradient).
    var primitive: Primitive? {
        switch self {
        case .neg: .neg
        case .exp: .exp
        case .log: .log
        case .sqrt: .sqrt
        case .abs: .abs
        case .sign: nil
        case .square: .square
        case .relu: .relu
        case .leakyRelu: .leakyRelu
        case .elu: .elu
        case .sigmoid: .sigmoid
        case .tanh: .tanh
        case .pow: .pow
        case .clamp: .clamp
        }
    }

    var differentiable: Bool { primitive != nil }

    /// Whether an Int64 input keeps its type (the others compute in Float32).
    var keepsIntegers: Bool {
        switch self {
        case .neg, .abs, .sign, .square, .relu: true
        case .clamp(let lo, let hi): (lo.map { $0 == $0.rounded() } ?? true) && (hi.map { $0 == $0.rounded() } ?? true)
        default: false
        }
    }

    /// Forward value. NaN propagates (relu, clamp), as in PyTorch.
    @inline(__always) func f<T: TensorScalar>(_ x: T) -> T {
        switch self {
        case .neg: return -x
        case .exp: return T.exp(x)
        case .log: return T.log(x)
        case .sqrt: return T.sqrt(x)
        case .abs: return Swift.abs(x)
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0))
        case .square: return x * x
        case .relu: return x < 0 ? 0 : x
        case .leakyRelu(let s): return x < 0 ? T(s) * x : x
        case .elu(let a): return x < 0 ? T(a) * (T.exp(x) - 1) : x
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
        case .relu: return x <= 0 ? 0 : 1
        case .leakyRelu(let s): return x > 0 ? 1 : T(s)
        case .elu(let a): return x <= 0 ? y + T(a) : 1  // NaN takes the identity branch, as in PyTorch
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .pow(let p):
            if p == 0 { return 0 }
            return p == 2 ? 2 * x : T(p) * T.pow(x, T(p - 1))
        case .clamp(let lo, let hi):
            if let lo, !(x >= T(lo)) { return 0 }
            if let hi, !(x <= T(hi)) { return 0 }
            return 1
        }
    }

    /// The Int64 forward value, for the functions that keep integers.
    @inline(__always) func f(_ x: Int64) -> Int64 {
        switch self {
        case .neg: return 0 &- x
        case .abs: return x < 0 ? 0 &- x : x
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .square: return x &* x
        case .relu: return x < 0 ? 0 : x
        case .clamp(let lo, let hi):
            var v = x
            if let lo, Double(v) < lo { v = Int64(clampingForInt: lo) }
            if let hi, Double(v) > hi { v = Int64(clampingForInt: hi) }
            return v
        default: return x
        }
    }
}

/// Binary elementwise operators with NumPy broadcasting.
public enum BinaryOp: Sendable {
    case add, sub, mul, div, pow, remainder, maximum, minimum, eq, ne, lt, le, gt, ge

    var symbol: String {
        switch self {
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .pow: "**"
        case .remainder: "%"
        case .maximum: "maximum"
        case .minimum: "minimum"
        case .eq: "=="
        case .ne: "!="
        case .lt: "<"
        case .le: "<="
        case .gt: ">"
        case .ge: ">="
        }
    }

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: true
        default: false
        }
    }
}

extension Tensor {
    /// Applies a unary function elementwise (differentiable except `sign`). Int64 input keeps its type for
    /// neg, abs, sign, square, relu and integer clamps, and computes in Float32 otherwise.
    public func apply(_ fn: UnaryFn) throws -> Tensor {
        if dtype == .int64 {
            guard fn.keepsIntegers else { return try to(.float32).apply(fn) }
            let x = try contiguous()
            let out = try Tensor(shape: shape, dtype: .int64, zeroed: false)
            let xp = x.data(Int64.self), op = out.data(Int64.self)
            try Parallel.forEach(count, grain: ElementKernels.grain) { r in for i in r { op[i] = fn.f(xp[i]) } }
            return out
        }
        let x = try contiguous()
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        if dtype == .float32 {
            try UnaryKernels.forward(fn, x.data(Float.self), out.data(Float.self), count)
        } else {
            try UnaryKernels.forward(fn, x.data(Double.self), out.data(Double.self), count)
        }
        guard let primitive = fn.primitive else { return out }
        let ySaved = out.detach()  // saved buffer, not the output node
        let n = count, dt = dtype, sh = shape
        return record(out, primitive, [self], saving: [x, ySaved]) { g0 in
            if SupportGradients.isOn { return [g0] }
            let g = try g0.contiguous()
            let gx = try Tensor(shape: sh, dtype: dt, zeroed: false)
            if dt == .float32 {
                try UnaryKernels.backward(
                    fn, x.data(Float.self), ySaved.data(Float.self), g.data(Float.self), gx.data(Float.self), n)
            } else {
                try UnaryKernels.backward(
                    fn, x.data(Double.self), ySaved.data(Double.self), g.data(Double.self), gx.data(Double.self), n)
            }
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

    /// The type `op` computes in and the type of its result.
    static func binaryTypes(_ op: BinaryOp, _ a: DType, _ b: DType) -> (compute: DType, result: DType) {
        switch op {
        case .div, .pow:
            let f = DType.floating(a, b)
            return (f, f)
        case .eq, .ne, .lt, .le, .gt, .ge:
            let c = DType.promoted(a, b)
            return (c, c == .int64 ? .float32 : c)
        default:
            let c = DType.promoted(a, b)
            return (c, c)
        }
    }

    /// Elementwise binary op with broadcasting and type promotion (Float32 op Float64 → Float64; Int64 op
    /// a float → the float; Int64 op Int64 stays Int64 except for `/` and `**`, which give Float32).
    /// Comparisons give 0/1 in the operands' floating type (Float32 for Int64 operands).
    public func binary(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        let (ct, rt) = Self.binaryTypes(op, dtype, other.dtype)
        let a = try to(ct), b = try other.to(ct)
        let outShape = try broadcastShapes(a.shape, b.shape)
        let out = try Tensor(shape: outShape, dtype: rt, zeroed: false)
        let sa = broadcastStrides(a.shape, a.strides, to: outShape)
        let sb = broadcastStrides(b.shape, b.strides, to: outShape)
        switch ct {
        case .float32: try Self.floatKernel(op, Float.self, a, sa, b, sb, out, outShape)
        case .float64: try Self.floatKernel(op, Double.self, a, sa, b, sb, out, outShape)
        case .int64:
            if op == .remainder, try b.containsZero() {
                throw CNNError.value("integer remainder by zero (in a % b with Int64 tensors)")
            }
            try Self.intKernel(op, a, sa, b, sb, out, outShape)
        }
        if op.isComparison || (isMask && other.isMask && (op == .mul || op == .minimum || op == .maximum)) {
            out.isMask = true
        }
        guard ct.isFloatingPoint, !op.isComparison else { return out }
        return try recordBinary(op, a, b, out)
    }

    static func floatKernel<T: TensorScalar & KernelElement>(
        _ op: BinaryOp, _: T.Type, _ a: Tensor, _ sa: [Int], _ b: Tensor, _ sb: [Int], _ out: Tensor, _ shape: [Int]
    ) throws {
        let pa = UnsafePointer(a.data(T.self)), pb = UnsafePointer(b.data(T.self)), po = out.data(T.self)
        let cs = contiguousStrides(shape)
        let aScalar = sa.allSatisfy { $0 == 0 }, bScalar = sb.allSatisfy { $0 == 0 }
        if (aScalar || sa == cs) && (bScalar || sb == cs) {
            let n = shape.reduce(1, &*)
            func flat<F: FlatBinary>(_ f: F.Type) throws {
                try ElementKernels.flat2(f, pa, aScalar: aScalar, pb, bScalar: bScalar, po, count: n)
            }
            switch op {
            case .add: return try flat(AddFn.self)
            case .sub: return try flat(SubFn.self)
            case .mul: return try flat(MulFn.self)
            case .div: return try flat(DivFn.self)
            case .maximum: return try flat(MaxFn.self)
            case .minimum: return try flat(MinFn.self)
            default: break
            }
        }
        func rows<F: FlatBinary>(_ f: F.Type) throws {
            try ElementKernels.rows2(f, pa, sa, pb, sb, po, shape: shape)
        }
        switch op {
        case .add: try rows(AddFn.self)
        case .sub: try rows(SubFn.self)
        case .mul: try rows(MulFn.self)
        case .div: try rows(DivFn.self)
        case .pow: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { PowFn.apply($0, $1) }
        case .remainder: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { RemainderFn.apply($0, $1) }
        case .maximum: try rows(MaxFn.self)
        case .minimum: try rows(MinFn.self)
        case .eq: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 == $1 ? 1 : 0 }
        case .ne: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 != $1 ? 1 : 0 }
        case .lt: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 < $1 ? 1 : 0 }
        case .le: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 <= $1 ? 1 : 0 }
        case .gt: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 > $1 ? 1 : 0 }
        case .ge: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 >= $1 ? 1 : 0 }
        }
    }

    static func intKernel(
        _ op: BinaryOp, _ a: Tensor, _ sa: [Int], _ b: Tensor, _ sb: [Int], _ out: Tensor, _ shape: [Int]
    ) throws {
        let pa = UnsafePointer(a.data(Int64.self)), pb = UnsafePointer(b.data(Int64.self))
        if op.isComparison {
            let po = out.data(Float.self)
            switch op {
            case .eq: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 == $1 ? 1 : 0 }
            case .ne: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 != $1 ? 1 : 0 }
            case .lt: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 < $1 ? 1 : 0 }
            case .le: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 <= $1 ? 1 : 0 }
            case .gt: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 > $1 ? 1 : 0 }
            default: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { $0 >= $1 ? 1 : 0 }
            }
            return
        }
        let po = out.data(Int64.self)
        switch op {
        case .add: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { AddFn.apply($0, $1) }
        case .sub: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { SubFn.apply($0, $1) }
        case .mul: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { MulFn.apply($0, $1) }
        case .remainder: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { RemainderFn.apply($0, $1) }
        case .maximum: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { MaxFn.apply($0, $1) }
        default: try ElementKernels.map2(pa, sa, pb, sb, po, shape: shape) { MinFn.apply($0, $1) }
        }
    }

    /// Whether any element is zero (integer division checks).
    func containsZero() throws -> Bool {
        var found = false
        forEachStorageIndex { if storage.get($0) == 0 { found = true } }
        return found
    }

    /// The pullbacks of the differentiable binary ops (a and b already in the compute type). They are written
    /// with tensor ops, which read any strides, so they take their upstream gradient as a view; a gradient is
    /// computed only for an input that requires one.
    func recordBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ out: Tensor) throws -> Tensor {
        let (ga, gb) = (a.requiresGrad, b.requiresGrad)
        switch op {
        case .add:
            return record(out, .add, [a, b], takesViews: true) { g in
                [ga ? try g.sumTo(a.shape) : nil, gb ? try g.sumTo(b.shape) : nil]
            }
        case .sub:
            return record(out, .sub, [a, b], takesViews: true) { g in
                [ga ? try g.sumTo(a.shape) : nil, gb ? try g.neg().sumTo(b.shape) : nil]
            }
        case .mul:
            return record(out, .mul, [a, b], saving: [a, b], takesViews: true) { g in
                [ga ? try (g * b).sumTo(a.shape) : nil, gb ? try (g * a).sumTo(b.shape) : nil]
            }
        case .div:
            return record(out, .div, [a, b], saving: [a, b], takesViews: true) { g in
                [
                    ga ? try (g / b).sumTo(a.shape) : nil,
                    gb ? try (g * a / (b * b)).neg().sumTo(b.shape) : nil,
                ]
            }
        case .pow:
            let y = out.detach()
            return record(out, .pow, [a, b], saving: [a, b, y], takesViews: true) { g in
                // d(a^b)/da = b·a^(b−1) (0 where b is 0); d(a^b)/db = a^b·log a (0 where a^b is 0)
                let da: Tensor? =
                    ga
                    ? try Tensor.select(
                        b.detach().binary(.ne, Tensor(scalar: 0, dtype: b.dtype)), g * b * a.binary(.pow, b - 1),
                        Tensor(scalar: 0, dtype: g.dtype)
                    ).sumTo(a.shape) : nil
                let logA = { try a.abs().clamp(min: Double.leastNormalMagnitude).log() }
                let db: Tensor? = gb ? try (g * y * logA()).sumTo(b.shape) : nil
                return [da, db]
            }
        case .remainder:
            return record(out, .remainder, [a, b], saving: [a, b], takesViews: true) { g in
                // a − b·⌊a/b⌋: d/da = 1, d/db = −⌊a/b⌋
                [ga ? try g.sumTo(a.shape) : nil, gb ? try (g * (a / b).floor().neg()).sumTo(b.shape) : nil]
            }
        case .maximum, .minimum:
            return record(out, op == .maximum ? .maximum : .minimum, [a, b], saving: [a, b], takesViews: true) { g in
                if SupportGradients.isOn { return [ga ? try g.sumTo(a.shape) : nil, gb ? try g.sumTo(b.shape) : nil] }
                let pick = try op == .maximum ? a.binary(.ge, b) : a.binary(.le, b)
                return [ga ? try (g * pick).sumTo(a.shape) : nil, gb ? try (g * (1 - pick)).sumTo(b.shape) : nil]
            }
        default:
            return out
        }
    }

    /// ⌊x⌋ elementwise (no gradient).
    public func floor() throws -> Tensor {
        let x = try contiguous()
        guard dtype.isFloatingPoint else { return self }
        let out = try Tensor(shape: shape, dtype: dtype, zeroed: false)
        for i in 0..<count { out.storage.set(i, x.storage.get(x.offset + i).rounded(.down)) }
        return out
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

    /// This tensor broadcast to `target` shape: a read-only view with stride 0 on the broadcast dimensions
    /// (differentiable).
    public func expanded(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let bshape = try broadcastShapes(shape, target)
        guard bshape == target else {
            throw CNNError.shape("cannot expand shape \(shapeString(shape)) to \(shapeString(target))")
        }
        let out = view(shape: target, strides: broadcastStrides(shape, strides, to: target), offset: offset)
        out.isReadOnly = true
        let src = shape
        return record(out, .expand, [self]) { g in [try g.sumTo(src)] }
    }
}

// MARK: Operators

public func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.add, b) }
public func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.sub, b) }
public func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.mul, b) }
public func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.div, b) }
public func + (a: Tensor, b: Double) throws -> Tensor { try a.binary(.add, Tensor.scalarLike(b, a)) }
public func - (a: Tensor, b: Double) throws -> Tensor { try a.binary(.sub, Tensor.scalarLike(b, a)) }
public func * (a: Tensor, b: Double) throws -> Tensor { try a.binary(.mul, Tensor.scalarLike(b, a)) }
public func / (a: Tensor, b: Double) throws -> Tensor { try a.binary(.div, Tensor.scalarLike(b, a)) }
public func + (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalarLike(a, b).binary(.add, b) }
public func - (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalarLike(a, b).binary(.sub, b) }
public func * (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalarLike(a, b).binary(.mul, b) }
public func / (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalarLike(a, b).binary(.div, b) }

extension Tensor {
    /// A 0-d tensor for a number combined with `t`: `t`'s type when it is floating or the number is whole,
    /// else Float32 (as PyTorch's `int_tensor * 0.5` is a float tensor).
    static func scalarLike(_ v: Double, _ t: Tensor) throws -> Tensor {
        if t.dtype.isFloatingPoint { return try Tensor(scalar: v, dtype: t.dtype) }
        return try Tensor(scalar: v, dtype: v.isFinite && v == v.rounded() ? .int64 : .float32)
    }
}
