import Foundation
@inline(__always) func Foundation_sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func Foundation_cos(_ x: Double) -> Double { cos(x) }
