/// Which channels of its source an output channel reads, for one link of a `FieldGraph`.
public enum ChannelMap: Sendable, Equatable {
    /// Every channel (a convolution, a linear layer).
    case all
    /// Channel `c + offset` (0 for the layers that work channel by channel: pooling, activations, batch
    /// norm; the part's start, negated, for one part of a concatenation).
    case offset(Int)
    /// A grouped convolution's: the channels of `c`'s group.
    case groups(Int)
    /// Channels `c − before … c + after` (local response normalisation).
    case near(before: Int, after: Int)
    /// These channels, whatever `c` is.
    case range(Range<Int>)
    /// A flattened N×C×H×W source (`Flatten`): feature `c` is one cell, (c mod h·w) of channel c / (h·w).
    case flattened(height: Int, width: Int)

    /// The channels of a source with `sourceCount` channels that channel `c` of a target with `targetCount`
    /// reads (clipped to the source).
    public func sources(of c: Int, targetCount: Int, sourceCount: Int) -> Range<Int> {
        let r: Range<Int>
        switch self {
        case .all:
            r = 0..<sourceCount
        case .offset(let k):
            r = (c + k)..<(c + k + 1)
        case .groups(let g):
            guard g > 0, targetCount % g == 0, sourceCount % g == 0 else { return 0..<sourceCount }
            let group = c / (targetCount / g), size = sourceCount / g
            r = (group * size)..<((group + 1) * size)
        case .near(let before, let after):
            r = (c - before)..<(c + after + 1)
        case .range(let fixed):
            r = fixed
        case .flattened(let h, let w):
            let k = c / Swift.max(h * w, 1)
            r = k..<(k + 1)
        }
        return r.clamped(to: 0..<sourceCount)
    }

    /// Whether every target channel reads the same source channels (so their fields can be joined first).
    var readsTheSameForEveryChannel: Bool {
        switch self {
        case .all, .range: true
        case .offset, .groups, .near, .flattened: false
        }
    }
}
