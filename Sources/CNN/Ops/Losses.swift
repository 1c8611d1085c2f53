/// Losses, each the mean over the batch. Cross-entropy is a fused primitive
/// (backward: (softmax − onehot)/N); hinge and MSE are composites.

func checkLabels(_ op: String, _ logits: Tensor, _ labels: Tensor) throws -> [Int] {
    guard logits.ndim == 2 else {
        throw CNNError.shape("\(op) expects scores of shape (N, classes), got \(shapeString(logits.shape))")
    }
    guard labels.ndim == 1, labels.count == logits.shape[0] else {
        throw CNNError.shape(
            "\(op): \(labels.count) labels (shape \(shapeString(labels.shape))) for \(logits.shape[0]) samples")
    }
    let c = logits.shape[1]
    return try labels.values.enumerated().map { i, v in
        guard v == v.rounded(), v >= 0, v < Double(c) else {
            let shown = labels.dtype == .int64 ? String(Int(clampingForInt: v)) : "\(v)"
            throw CNNError.value("\(op): label \(shown) at position \(i) is not a class index in 0..<\(c)")
        }
        return Int(v)
    }
}

/// Softmax cross-entropy: mean over the batch of −log softmax(logits)[label].
public func crossEntropy(_ logits: Tensor, _ labels: Tensor) throws -> Tensor {
    let ys = try checkLabels("cross_entropy", logits, labels)
    let logits = try logits.floating()
    let n = logits.shape[0], c = logits.shape[1]
    guard n > 0 else { throw CNNError.value("cross_entropy of an empty batch") }
    let lsm = try withNoGrad { try logits.logSoftmax(dim: 1) }
    var total = 0.0
    for i in 0..<n { total -= lsm.storage.get(i * c + ys[i]) }
    let out = try Tensor(scalar: total / Double(n), dtype: logits.dtype)
    return record(out, .crossEntropy, [logits], saving: [lsm]) { g in
        // (softmax − one-hot) · g / n in one pass, row by row: exp, scale, and the label's share taken off
        let gx = try Tensor(shape: lsm.shape, dtype: lsm.dtype, zeroed: false)
        let scale = try g.item() / Double(n)
        func run<T: TensorScalar>(_: T.Type) throws {
            let lp = lsm.data(T.self), gp = gx.data(T.self), k = T(scale)
            try Parallel.forEach(n, grain: Swift.max(1, (1 << 14) / Swift.max(c, 1))) { rows in
                for i in rows {
                    let src = lp + i * c, dst = gp + i * c
                    if let sf = Float.pointer(src), let df = Float.pointer(dst) {
                        ExpKernel.exp(sf, minus: 0, df, c)
                    } else {
                        for j in 0..<c { dst[j] = T.exp(src[j]) }
                    }
                    for j in 0..<c { dst[j] *= k }
                    dst[ys[i]] -= k
                }
            }
        }
        if lsm.dtype == .float32 { try run(Float.self) } else { try run(Double.self) }
        return [gx]
    }
}

/// Multiclass SVM (hinge) loss of the lecture / CS231n: mean over samples of
/// Σ_{j≠y} max(0, s_j − s_y + margin).
public func hingeLoss(_ scores: Tensor, _ labels: Tensor, margin: Double = 1) throws -> Tensor {
    let ys = try checkLabels("hinge_loss", scores, labels)
    let scores = try scores.floating()
    let n = scores.shape[0], c = scores.shape[1]
    let onehot = try Tensor(shape: [n, c], dtype: scores.dtype)
    for i in 0..<n { onehot.storage.set(i * c + ys[i], 1) }
    let correct = try (scores * onehot).sum(dims: [1], keepdim: true)
    let margins = try (scores - correct + margin).relu() * (1 - onehot)
    return try margins.sum() / Double(n)
}

/// Mean squared error.
public func mseLoss(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let a = try a.floating(), b = try b.floating()
    guard a.shape == b.shape else {
        throw CNNError.shape("mse_loss: shapes \(shapeString(a.shape)) and \(shapeString(b.shape)) differ")
    }
    let d = try a - b
    return try (d * d).mean()
}

/// Fraction of rows whose argmax equals the label, in 0…1.
public func accuracy(_ logits: Tensor, _ labels: Tensor) throws -> Double {
    let ys = try checkLabels("accuracy", logits, labels)
    let pred = try logits.argmax(dim: 1)
    guard !ys.isEmpty else { return 0 }
    var ok = 0
    for (i, y) in ys.enumerated() where pred.storage.getInt(pred.offset + i) == y { ok += 1 }
    return Double(ok) / Double(ys.count)
}
