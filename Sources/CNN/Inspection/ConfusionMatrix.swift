/// What a classifier gets right and wrong: `counts[i][j]` samples of true class `i` predicted as `j`, with the
/// classes' names, row totals and per-class accuracy (recall).
public struct ConfusionMatrix: Sendable, Equatable {
    public let counts: [[Int]]
    public let classes: [String]

    /// Counts the argmax of each row of `logits` (N × classes) against `labels` (N class indices); `classes`
    /// names the classes (default "0", "1", …; as many as the logits have columns).
    public init(logits: Tensor, labels: Tensor, classes: [String]? = nil) throws {
        let ys = try checkLabels("confusion", logits, labels)
        let k = logits.shape[1]
        if let classes, classes.count != k {
            throw CNNError.value(
                "confusion: \(classes.count) class names for \(k) classes (logits of shape \(shapeString(logits.shape)))"
            )
        }
        let pred = try logits.argmax(dim: 1)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (i, y) in ys.enumerated() { counts[y][pred.storage.getInt(pred.offset + i)] += 1 }
        self.counts = counts
        self.classes = classes ?? (0..<k).map(String.init)
    }

    /// Samples of each true class.
    public var totals: [Int] { counts.map { $0.reduce(0, +) } }
    /// Correct predictions (the diagonal's sum).
    public var correct: Int { counts.indices.reduce(0) { $0 + counts[$1][$1] } }
    public var total: Int { totals.reduce(0, +) }
    /// The fraction of all samples predicted right (nil with no samples).
    public var accuracy: Double? { total == 0 ? nil : Double(correct) / Double(total) }
    /// For each class, the fraction of its samples predicted right (nil for a class with no samples).
    public var perClass: [Double?] {
        counts.indices.map { i in totals[i] == 0 ? nil : Double(counts[i][i]) / Double(totals[i]) }
    }

    /// The counts as a k × k Int64 tensor.
    public func tensor() throws -> Tensor {
        try Tensor(integers: counts.flatMap { $0.map(Int64.init) }, shape: [counts.count, counts.count])
    }
}
