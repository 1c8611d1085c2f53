/// The lecture's worked convolution example ("Convolution Demo"): a 5×5×3 input shown padded by 1 to 7×7×3,
/// two 3×3×3 filters W0 and W1 with biases b0 = 1 and b1 = 0, stride 2, giving a 3×3×2 output volume
/// (−3 −1 0 / −1 −8 2 / 3 0 3 and 1 4 2 / −1 4 5 / 3 1 3). What `conv_demo()` shows with no arguments.
public enum LectureExample {
    /// The unpadded input, channel by channel (the slide's x[:, :, c] panels without their zero border).
    public static let input: [Double] = [
        0, 0, 2, 0, 2, 1, 2, 2, 2, 0, 0, 2, 1, 0, 0, 0, 2, 0, 2, 1, 1, 0, 2, 2, 0,
        1, 0, 0, 2, 0, 1, 0, 1, 0, 1, 0, 0, 2, 1, 2, 1, 2, 1, 0, 0, 1, 2, 2, 0, 2,
        0, 2, 2, 1, 0, 0, 2, 0, 0, 1, 1, 1, 1, 2, 1, 2, 0, 1, 2, 2, 2, 1, 1, 0, 0,
    ]
    /// W0 then W1, each channel by channel, 3×3.
    public static let weight: [Double] = [
        -1, 0, -1, 1, -1, 1, -1, 0, -1, 0, -1, 1, 1, 1, 1, -1, 1, -1, 0, 0, 0, -1, 1, -1, 1, 1, -1,
        0, 1, 1, -1, -1, -1, 1, -1, 1, -1, 0, -1, 1, 1, 1, -1, 1, -1, 0, 1, 0, 0, 0, -1, 1, -1, 0,
    ]
    public static let bias: [Double] = [1, 0]
    public static let stride = 2
    public static let padding = 1

    /// Input 1×3×5×5, weight 2×3×3×3, bias 2.
    public static func tensors(dtype: DType = .float32) throws -> (x: Tensor, w: Tensor, b: Tensor) {
        (
            try Tensor(input, shape: [1, 3, 5, 5], dtype: dtype),
            try Tensor(weight, shape: [2, 3, 3, 3], dtype: dtype),
            try Tensor(bias, shape: [2], dtype: dtype)
        )
    }
}
