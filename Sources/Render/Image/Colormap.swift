/// Colormaps: viridis (default), grey, and a diverging blue–white–red map centred on 0
/// for signed data such as filters and gradients.
public enum Colormap: String, Sendable, CaseIterable {
    case viridis, grey, diverging

    static let viridisStops: [(Double, Double, Double)] = [
        (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530), (0.207, 0.372, 0.553),
        (0.164, 0.471, 0.558), (0.128, 0.567, 0.551), (0.135, 0.659, 0.518), (0.267, 0.749, 0.441),
        (0.478, 0.821, 0.318), (0.741, 0.873, 0.150), (0.993, 0.906, 0.144),
    ]

    /// Colour of `t` in [0, 1] (clamped; NaN draws magenta).
    public func color(_ t: Double) -> (UInt8, UInt8, UInt8) {
        guard !t.isNaN else { return (255, 0, 255) }
        let u = Swift.min(1, Swift.max(0, t))
        func b(_ v: Double) -> UInt8 { UInt8(Swift.min(255, Swift.max(0, (v * 255).rounded()))) }
        switch self {
        case .grey: return (b(u), b(u), b(u))
        case .viridis:
            let f = u * Double(Self.viridisStops.count - 1)
            let i = Swift.min(Int(f), Self.viridisStops.count - 2), w = f - Double(i)
            let a = Self.viridisStops[i], c = Self.viridisStops[i + 1]
            return (b(a.0 + (c.0 - a.0) * w), b(a.1 + (c.1 - a.1) * w), b(a.2 + (c.2 - a.2) * w))
        case .diverging:
            // 0 → blue (0.23, 0.30, 0.75), 0.5 → white, 1 → red (0.71, 0.02, 0.15)
            if u < 0.5 {
                let w = u / 0.5; return (b(0.23 + (1 - 0.23) * w), b(0.30 + (1 - 0.30) * w), b(0.75 + (1 - 0.75) * w))
            }
            let w = (u - 0.5) / 0.5
            return (b(1 + (0.71 - 1) * w), b(1 + (0.02 - 1) * w), b(1 + (0.15 - 1) * w))
        }
    }

    /// CSS `rgb(…)` of `t`.
    public func css(_ t: Double) -> String { let c = color(t); return "rgb(\(c.0),\(c.1),\(c.2))" }
}
