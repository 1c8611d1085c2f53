import CNN
import Foundation

/// `%time stmt`, `%timeit stmt`, `%who`, `%reset`, `%seed n`.
extension Interpreter {
    func runMagic(_ name: String, _ raw: String, _ inner: StmtNode?, _ f: inout Frame, _ span: Span) throws {
        switch name {
        case "%time":
            guard let inner else { throw StrideError(.syntax, "%time needs a statement", span: span) }
            let t0 = now()
            _ = try inner.exec(&f)
            host.write("Wall time: \(Self.formatDuration(now() - t0))\n", to: .stdout)
        case "%timeit":
            guard let inner else { throw StrideError(.syntax, "%timeit needs a statement", span: span) }
            // choose loops per run so one run takes ≥ 0.2 s (at most 7 runs), like IPython
            var loops = 1
            while true {
                let t0 = now()
                for _ in 0..<loops {
                    try checkInterrupt(span)
                    _ = try inner.exec(&f)
                }
                let dt = now() - t0
                if dt >= 0.2 || loops >= 1_000_000 { break }
                loops *= dt < 0.02 ? 10 : 2
            }
            var times: [Double] = []
            let budgetStart = now()
            for _ in 0..<7 {
                let t0 = now()
                for _ in 0..<loops {
                    try checkInterrupt(span)
                    _ = try inner.exec(&f)
                }
                times.append((now() - t0) / Double(loops))
                if now() - budgetStart > 10 { break }
            }
            let mean = times.reduce(0, +) / Double(times.count)
            let sd = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(times.count)).squareRoot()
            host.write(
                "\(Self.formatDuration(mean)) ± \(Self.formatDuration(sd)) per loop (mean ± std. dev. of \(times.count) runs, "
                    + "\(loops) loop\(loops == 1 ? "" : "s") each)\n", to: .stdout)
        case "%who":
            let bound = globals.bound.sorted { $0.0 < $1.0 }
            if bound.isEmpty {
                host.write("Interactive namespace is empty.\n", to: .stdout)
                return
            }
            let w = bound.map { $0.0.count }.max() ?? 1
            var out = ""
            for (n, v) in bound {
                out +=
                    n.padding(toLength: w, withPad: " ", startingAt: 0) + "  "
                    + v.typeName.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                    + v.shortDescription.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            host.write(out, to: .stdout)
        case "%reset":
            session?.reset()
            host.write("session cleared\n", to: .stdout)
        case "%seed":
            guard let n = Int64(raw.trimmingCharacters(in: .whitespaces)) else {
                throw StrideError(.value, "%seed needs an integer, got '\(raw)'", span: span)
            }
            GlobalRandom.seed(UInt64(bitPattern: n))
        default:
            throw StrideError(
                .name, "unknown magic \(name); available: %time, %timeit, %who, %reset, %seed", span: span)
        }
    }

    static func formatDuration(_ s: Double) -> String {
        if s >= 1 { return String(format: "%.3g s", s) }
        if s >= 1e-3 { return String(format: "%.3g ms", s * 1e3) }
        if s >= 1e-6 { return String(format: "%.3g µs", s * 1e6) }
        return String(format: "%.3g ns", s * 1e9)
    }
}
