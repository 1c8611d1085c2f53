import Foundation

/// CIFAR-10's binary version (`cifar-10-batches-bin`): records of one label byte and 3,072 pixel bytes (red,
/// green, blue planes of 32×32), 10,000 to a file. The training set is `data_batch_1.bin` … `data_batch_5.bin`,
/// the test set `test_batch.bin`.
public enum CIFAR10 {
    public static let classes = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// The batch files of one split under `dir` (or under `dir/cifar-10-batches-bin`).
    public static func files(_ dir: String, train: Bool) throws -> [String] {
        let names = train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        for base in [dir, (dir as NSString).appendingPathComponent("cifar-10-batches-bin")] {
            let paths = names.map { (base as NSString).appendingPathComponent($0) }
            if paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return paths }
        }
        throw CNNError.io(
            "\(dir) does not hold CIFAR-10's binary batches (\(names.joined(separator: ", "))); "
                + "download the binary version and unpack it there")
    }

    /// Images (N×3×32×32 Float32 in [0, 1]) and labels (N, Int64) of one split.
    public static func read(_ dir: String, train: Bool) throws -> (images: Tensor, labels: Tensor) {
        let record = 3073
        var blobs: [(String, [UInt8])] = []
        var total = 0
        for path in try files(dir, train: train) {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw CNNError.io("cannot read \(path): not readable")
            }
            guard d.count % record == 0, d.count > 0 else {
                throw CNNError.io("\(path): \(d.count) bytes is not a whole number of 3,073-byte CIFAR-10 records")
            }
            blobs.append((path, [UInt8](d)))
            total += d.count / record
        }
        let images = try Tensor(shape: [total, 3, 32, 32], dtype: .float32, zeroed: false)
        let labels = try Tensor(shape: [total], dtype: .int64, zeroed: false)
        let ip = images.data(Float.self)
        let lp = labels.data(Int64.self)
        var n = 0
        for (path, b) in blobs {
            try Cancellation.check()
            for r in 0..<(b.count / record) {
                let label = b[r * record]
                guard label < 10 else {
                    throw CNNError.io("\(path): record \(r) has label \(label) (CIFAR-10 has 0–9)")
                }
                lp[n] = Int64(label)
                let src = r * record + 1
                for k in 0..<3072 { ip[n * 3072 + k] = Float(b[src + k]) / 255 }
                n += 1
            }
        }
        return (images, labels)
    }
}
