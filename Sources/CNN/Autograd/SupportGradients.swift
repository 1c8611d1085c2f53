/// Backward passes that say which inputs an output reads rather than how strongly: while on, every op whose
/// gradient is zero somewhere it reads passes the gradient everywhere it reads (ReLU, clamp and the other
/// elementwise functions pass it unchanged; `maximum`, `minimum` and `where` to both sides; `max`, `amax` and
/// their kin to the whole reduced line; max pooling to its whole window, as average pooling of the same
/// geometry). The support of an input's gradient is then the output's receptive field, whatever the values.
public enum SupportGradients {
    @TaskLocal public static var isOn = false
}

/// Runs `body` with support gradients on (and graph recording on).
public func withSupportGradients<R>(_ body: () throws -> R) rethrows -> R {
    try SupportGradients.$isOn.withValue(true) { try withGrad(body) }
}
