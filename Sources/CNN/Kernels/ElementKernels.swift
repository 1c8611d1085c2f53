import Foundation

/// The element types kernels compute in: Float, Double and Int64. Integer arithmetic wraps, as in
/// PyTorch; `isNaNValue` is false for integers.
protocol KernelElement: Comparable, Sendable {
    static var zeroValue: Self { get }
    static var oneValue: Self { get }
    static func add(_ a: Self, _ b: Self) -> Self
    static func sub(_ a: Self, _ b: Self) -> Self
    static func mul(_ a: Self, _ b: Self) -> Self
    /// a − b·⌊a / b⌋ (the sign of b, as PyTorch's `remainder` and Python's `%`).
    static func remainder(_ a: Self, _ b: Self) -> Self
    var isNaNValue: Bool { get }
    var doubleValue: Double { get }
}

extension Float: KernelElement {
    static var zeroValue: Float { 0 }
    static var oneValue: Float { 1 }
    @inline(__always) static func add(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func sub(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) static func mul(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) static func remainder(_ a: Float, _ b: Float) -> Float {
        let r = Foundation.fmodf(a, b)
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
    }
    @inline(__always) var isNaNValue: Bool { isNaN }
    @inline(__always) var doubleValue: Double { Double(self) }
}

extension Double: KernelElement {
    static var zeroValue: Double { 0 }
    static var oneValue: Double { 1 }
    @inline(__always) static func add(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func sub(_ a: Double, _ b: Double) -> Double { a - b }
    @inline(__always) static func mul(_ a: Double, _ b: Double) -> Double { a * b }
    @inline(__always) static func remainder(_ a: Double, _ b: Double) -> Double {
        let r = Foundation.fmod(a, b)
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
    }
    @inline(__always) var isNaNValue: Bool { isNaN }
    @inline(__always) var doubleValue: Double { self }
}

extension Int64: KernelElement {
    static var zeroValue: Int64 { 0 }
    static var oneValue: Int64 { 1 }
    @inline(__always) static func add(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
    @inline(__always) static func sub(_ a: Int64, _ b: Int64) -> Int64 { a &- b }
    @inline(__always) static func mul(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
    @inline(__always) static func remainder(_ a: Int64, _ b: Int64) -> Int64 {
        if b == 0 { return 0 }  // callers reject integer division by zero first
        if b == -1 { return 0 }
        let r = a % b
        return r != 0 && ((r < 0) != (b < 0)) ? r &+ b : r
    }
    @inline(__always) var isNaNValue: Bool { false }
    @inline(__always) var doubleValue: Double { Double(self) }
}

/// A binary function on one element type, as a type so generic kernels specialise and inline it.
protocol BinaryFunction {
    static func apply<T: KernelElement>(_ a: T, _ b: T) -> T
}

enum AddFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { T.add(a, b) }
}
enum SubFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { T.sub(a, b) }
}
enum MulFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { T.mul(a, b) }
}
enum RemainderFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { T.remainder(a, b) }
}
/// The larger, NaN if either is (PyTorch's `maximum`).
enum MaxFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { a.isNaNValue || a >= b ? a : b }
}
/// The smaller, NaN if either is.
enum MinFn: BinaryFunction {
    @inline(__always) static func apply<T: KernelElement>(_ a: T, _ b: T) -> T { a.isNaNValue || a <= b ? a : b }
}

/// Division and power, on floating types only.
protocol FloatBinaryFunction {
    static func apply<T: TensorScalar>(_ a: T, _ b: T) -> T
}

enum DivFn: FloatBinaryFunction { @inline(__always) static func apply<T: TensorScalar>(_ a: T, _ b: T) -> T { a / b } }
enum PowFn: FloatBinaryFunction {
    @inline(__always) static func apply<T: TensorScalar>(_ a: T, _ b: T) -> T { b == 2 ? a * a : T.pow(a, b) }
}

/// A binary function the flat fast path calls by type: the loop is specialised per function, so the function
/// inlines and the loop vectorises (a closure called per element does neither).
protocol FlatBinary {
    static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T
}

extension AddFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}
extension SubFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}
extension MulFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}
extension DivFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}
extension MaxFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}
extension MinFn: FlatBinary {
    @inline(__always) static func call<T: TensorScalar & KernelElement>(_ a: T, _ b: T) -> T { apply(a, b) }
}

/// The elementwise loops: a broadcasting binary map, run in interruptible parallel chunks.
enum ElementKernels {
    /// Items per chunk (about 20–60 µs of work).
    static let grain = 1 << 15

    /// out[i] = F(a[i], b[i]) over `n` elements where a and b are each contiguous or one broadcast value
    /// (`aScalar`, `bScalar`): one loop per case, specialised per function. Out may be a or b (in place).
    static func flat2<T: TensorScalar & KernelElement, F: FlatBinary>(
        _: F.Type, _ pa: UnsafePointer<T>, aScalar: Bool, _ pb: UnsafePointer<T>, bScalar: Bool,
        _ po: UnsafeMutablePointer<T>, count n: Int
    ) throws {
        guard n > 0 else { return }
        // in place (`a += b`, gradient accumulation, optimiser steps): the loop reads and writes through one
        // pointer. Through two equal pointers the compiler's overlap check fails and it runs the scalar loop.
        if UnsafePointer(po) == pa, !aScalar {
            try Parallel.forEach(n, grain: grain) { r in
                if bScalar {
                    let b = pb[0]
                    for i in r { po[i] = F.call(po[i], b) }
                } else if pb == UnsafePointer(po) {
                    for i in r { po[i] = F.call(po[i], po[i]) }
                } else {
                    for i in r { po[i] = F.call(po[i], pb[i]) }
                }
            }
            return
        }
        if UnsafePointer(po) == pb, !bScalar {
            try Parallel.forEach(n, grain: grain) { r in
                if aScalar {
                    let a = pa[0]
                    for i in r { po[i] = F.call(a, po[i]) }
                } else {
                    for i in r { po[i] = F.call(pa[i], po[i]) }
                }
            }
            return
        }
        try Parallel.forEach(n, grain: grain) { r in
            switch (aScalar, bScalar) {
            case (false, false): for i in r { po[i] = F.call(pa[i], pb[i]) }
            case (false, true):
                let b = pb[0]
                for i in r { po[i] = F.call(pa[i], b) }
            case (true, false):
                let a = pa[0]
                for i in r { po[i] = F.call(a, pb[i]) }
            case (true, true):
                let v = F.call(pa[0], pb[0])
                for i in r { po[i] = v }
            }
        }
    }

    /// out[i] = f(a[·], b[·]) over `shape` (row-major, out contiguous); a and b are read through their
    /// strides, 0 where they broadcast.
    @inline(__always)
    static func map2<A, B, O>(
        _ pa: UnsafePointer<A>, _ sa: [Int], _ pb: UnsafePointer<B>, _ sb: [Int], _ po: UnsafeMutablePointer<O>,
        shape: [Int], _ f: @escaping (A, B) -> O
    ) throws {
        let n = shape.reduce(1, &*)
        guard n > 0 else { return }
        let nd = shape.count
        let cs = contiguousStrides(shape)
        let aFlat = nd == 0 || sa == cs, bFlat = nd == 0 || sb == cs
        let aScalar = sa.allSatisfy { $0 == 0 }, bScalar = sb.allSatisfy { $0 == 0 }
        if (aFlat || aScalar) && (bFlat || bScalar) {
            let da = aScalar ? 0 : 1, db = bScalar ? 0 : 1
            try Parallel.forEach(n, grain: grain) { r in
                for i in r { po[i] = f(pa[i &* da], pb[i &* db]) }
            }
            return
        }
        try forEachRow(shape, sa, sb) { o, oa, ob, inner, ia, ib in
            var pA = oa, pB = ob
            for j in 0..<inner {
                po[o &+ j] = f(pa[pA], pb[pB])
                pA &+= ia
                pB &+= ib
            }
        }
    }

    /// out = F(a, b) over `shape` (out contiguous) where a or b broadcasts or is strided: each innermost row
    /// is one loop specialised per function and for a and b being contiguous or one repeated value along it,
    /// so it vectorises (a per-channel bias or scale over (N, C, H, W) is rows of H·W with b fixed).
    static func rows2<T: TensorScalar & KernelElement, F: FlatBinary>(
        _: F.Type, _ pa: UnsafePointer<T>, _ sa: [Int], _ pb: UnsafePointer<T>, _ sb: [Int],
        _ po: UnsafeMutablePointer<T>, shape: [Int]
    ) throws {
        guard shape.reduce(1, &*) > 0 else { return }
        try forEachRow(shape, sa, sb) { o, oa, ob, inner, ia, ib in
            let a = pa + oa, b = pb + ob, out = po + o
            switch (ia, ib) {
            case (1, 0):
                let bv = b[0]
                for j in 0..<inner { out[j] = F.call(a[j], bv) }
            case (0, 1):
                let av = a[0]
                for j in 0..<inner { out[j] = F.call(av, b[j]) }
            case (1, 1):
                for j in 0..<inner { out[j] = F.call(a[j], b[j]) }
            default:
                for j in 0..<inner { out[j] = F.call(a[j &* ia], b[j &* ib]) }
            }
        }
    }

    /// Calls `body(out offset, a offset, b offset, row length, a stride, b stride)` for each innermost row
    /// of `shape` (out contiguous), rows split across cores. Dimensions are merged first where both a and b
    /// step through them as one (size-1 dimensions dropped), so rows are as long as the layout allows.
    @inline(__always)
    static func forEachRow(
        _ shape0: [Int], _ sa0: [Int], _ sb0: [Int], _ body: (Int, Int, Int, Int, Int, Int) -> Void
    ) throws {
        let (shape, sa, sb) = coalesce(shape0, sa0, sb0)
        let nd = shape.count
        let inner = shape[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1]
        let rows = shape.reduce(1, &*) / inner
        try Parallel.forEach(rows, grain: Swift.max(1, grain / inner)) { r in
            var oa = 0, ob = 0, rem = r.lowerBound
            var idx = [Int](repeating: 0, count: Swift.max(nd - 1, 1))
            for k in stride(from: nd - 2, through: 0, by: -1) {
                let i = rem % shape[k]
                rem /= shape[k]
                idx[k] = i
                oa &+= i &* sa[k]
                ob &+= i &* sb[k]
            }
            for row in r {
                body(row &* inner, oa, ob, inner, ia, ib)
                var k = nd - 2
                while k >= 0 {
                    idx[k] += 1
                    oa &+= sa[k]
                    ob &+= sb[k]
                    if idx[k] < shape[k] { break }
                    oa &-= sa[k] &* shape[k]
                    ob &-= sb[k] &* shape[k]
                    idx[k] = 0
                    k -= 1
                }
            }
        }
    }

    /// `shape` with size-1 dimensions dropped and each dimension merged into the one outside it where both
    /// strides continue across (outer stride = inner stride × inner size); at least one dimension.
    static func coalesce(_ shape: [Int], _ sa: [Int], _ sb: [Int]) -> ([Int], [Int], [Int]) {
        var sh: [Int] = [], a: [Int] = [], b: [Int] = []
        for k in 0..<shape.count where shape[k] != 1 {
            let last = sh.count - 1
            if last >= 0, a[last] == sa[k] &* shape[k], b[last] == sb[k] &* shape[k] {
                sh[last] &*= shape[k]
                a[last] = sa[k]
                b[last] = sb[k]
            } else {
                sh.append(shape[k])
                a.append(sa[k])
                b.append(sb[k])
            }
        }
        return sh.isEmpty ? ([1], [0], [0]) : (sh, a, b)
    }
}
