import Foundation
import CBLAS

/// The element type of a tensor. Float32 is the default; Float64 exists for gradient checks;
/// Int64 holds indices and labels (`argmax`, `arange` of integers, class labels), as in PyTorch.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, int64

    /// Bytes per element.
    public var byteSize: Int { self == .float32 ? 4 : 8 }
    public var description: String { rawValue }
    /// Float32 or Float64.
    public var isFloatingPoint: Bool { self != .int64 }

    /// Parses `"float32"`, `"f32"`, `"float"`, `"float64"`, `"double"`, `"f64"`, `"int64"`, `"long"`, `"int"`.
    public init?(name: String) {
        switch name.lowercased() {
        case "float32", "f32", "float": self = .float32
        case "float64", "f64", "double": self = .float64
        case "int64", "i64", "long", "int": self = .int64
        default: return nil
        }
    }

    /// The floating type two operands compute in: Float64 if either is, else Float32.
    public static func floating(_ a: DType, _ b: DType) -> DType {
        a == .float64 || b == .float64 ? .float64 : .float32
    }

    /// The type of `a op b` for arithmetic: Int64 only when both are Int64, else the floating type.
    public static func promoted(_ a: DType, _ b: DType) -> DType {
        a == .int64 && b == .int64 ? .int64 : floating(a, b)
    }
}

/// A floating-point element type the runtime computes in (Float or Double).
/// Elementary functions and GEMM are dispatched statically through this protocol,
/// so generic kernels specialise to straight-line code for each type.
public protocol TensorScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    static var dtype: DType { get }
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension TensorScalar {
    /// C = alpha * op(A) * op(B) + beta * C, row-major, on the calling thread only (BLAS itself runs
    /// single-threaded; see `GEMM`). Use `gemm`, which tiles large products across cores. Specialised per type,
    /// so the branch between `cblas_sgemm` and `cblas_dgemm` is decided when compiled.
    static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    ) {
        _ = GEMM.singleThreadedBLAS
        let (ta, tb) = (transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans)
        let (m, n, k, lda, ldb, ldc) = (blasint(m), blasint(n), blasint(k), blasint(lda), blasint(ldb), blasint(ldc))
        if Self.self == Float.self {
            func f(_ p: UnsafePointer<Self>) -> UnsafePointer<Float> {
                UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
            }
            let out = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, Float(alpha), f(a), lda, f(b), ldb, Float(beta), out, ldc)
        } else {
            func d(_ p: UnsafePointer<Self>) -> UnsafePointer<Double> {
                UnsafeRawPointer(p).assumingMemoryBound(to: Double.self)
            }
            let out = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self)
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, Double(alpha), d(a), lda, d(b), ldb, Double(beta), out, ldc)
        }
    }
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.logf(x) }
    @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanhf(x) }
    @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.powf(x, y) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}
