import Foundation

/// The MNIST data set from its IDX files (`train-images-idx3-ubyte[.gz]` …) in one directory.
public enum MNIST {
    /// Images n×1×28×28 in [0, 1] and labels n (Int64), the training or the test set.
    public static func read(_ dir: String, train: Bool) throws -> (Tensor, Tensor) {
        let stem = train ? "train" : "t10k"
        func find(_ kind: String) throws -> String {
            let nd = kind == "images" ? 3 : 1
            for name in ["\(stem)-\(kind)-idx\(nd)-ubyte", "\(stem)-\(kind).idx\(nd)-ubyte"] {
                for ext in ["", ".gz"] where FileManager.default.fileExists(atPath: "\(dir)/\(name)\(ext)") {
                    return "\(dir)/\(name)\(ext)"
                }
            }
            throw CNNError.io(
                "no MNIST \(kind) file for \(train ? "training" : "test") in \(dir) (expected "
                    + "\(stem)-\(kind)-idx\(nd)-ubyte or .gz)")
        }
        let x = try IDX.read(find("images")), y = try IDX.read(find("labels"))
        guard x.ndim == 3 else {
            throw CNNError.shape("MNIST images should be n×28×28, got \(shapeString(x.shape))")
        }
        return (try (x / 255).reshaped([x.shape[0], 1, x.shape[1], x.shape[2]]), y)
    }
}
