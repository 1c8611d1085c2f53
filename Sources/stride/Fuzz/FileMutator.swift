import CNN
import Foundation

/// File formats under mutation: sample PNG, JPEG, `.npy`, `.npz`, `.safetensors` and PyTorch checkpoint bytes,
/// changed byte by byte (flips, truncation, extreme integers over header fields, repeated slices) and loaded by
/// the program the fuzzer runs. Nothing a user opens may crash the process.
struct FileMutator {
    /// (file extension, bytes, the call that loads it with `PATH` standing for the path).
    var samples: [(String, [UInt8], String)] = []

    init(directories: [String]) {
        if let t = try? Tensor([0.1, 0.5, 0.9, 0.2, 0.3, 0.7], shape: [2, 3]) {
            if let png = try? ImageFile.encodePNG(t.reshaped([1, 2, 3])) {
                samples.append(("png", [UInt8](png), "load_image(PATH)"))
            }
            if let npy = try? NPY.encode(t) { samples.append(("npy", [UInt8](npy), "load(PATH)")) }
            if let npz = try? NPZ.encode([("weight", t), ("bias", t.reshaped([6]))]) {
                samples.append(("npz", [UInt8](npz), "load(PATH)"))
            }
            if let st = try? SafeTensors.encode([("weight", t)]) {
                samples.append(("safetensors", [UInt8](st), "load_into(Linear(3, 2, bias: false), PATH)"))
            }
        }
        for dir in directories {
            for f in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
                let ext = (f as NSString).pathExtension.lowercased()
                guard ["png", "jpg", "pth", "safetensors"].contains(ext),
                    let d = FileManager.default.contents(atPath: dir + "/" + f)
                else { continue }
                let call = ext == "png" || ext == "jpg" ? "load_image(PATH)" : "load(PATH)"
                samples.append((ext, [UInt8](d), call))
            }
        }
    }

    /// Writes a mutated sample next to `base` and returns the program that loads it.
    func program(base: String, _ rng: inout RandomGenerator) -> String? {
        guard !samples.isEmpty else { return nil }
        let (ext, original, call) = samples[rng.int(below: samples.count)]
        var b = original
        for _ in 0..<(1 + rng.int(below: 4)) { mutate(&b, &rng) }
        let path = base + "." + ext
        guard (try? Data(b).write(to: URL(fileURLWithPath: path))) != nil else { return nil }
        return call.replacingOccurrences(of: "PATH", with: "\"\(path)\"")
    }

    func mutate(_ b: inout [UInt8], _ rng: inout RandomGenerator) {
        guard !b.isEmpty else {
            b = [0x89, 0x50]
            return
        }
        let at = rng.int(below: b.count)
        switch rng.int(below: 6) {
        case 0: b[at] ^= UInt8(1 << rng.int(below: 8))
        case 1: b.removeSubrange(at...)
        case 2:
            let extremes: [UInt64] = [0, 1, 0x7F, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 40, UInt64.max]
            let v = extremes[rng.int(below: extremes.count)]
            let width = [1, 2, 4, 8][rng.int(below: 4)]
            let bigEndian = rng.int(below: 2) == 0
            for k in 0..<width where at + k < b.count {
                let shift = UInt64(8 * (bigEndian ? width - 1 - k : k))
                b[at + k] = UInt8(truncatingIfNeeded: v >> shift)
            }
        case 3:
            let n = Swift.min(b.count - at, 1 + rng.int(below: 64))
            b.insert(contentsOf: b[at..<(at + n)], at: at)
        case 4: b[at] = UInt8(rng.int(below: 256))
        default:
            let n = Swift.min(b.count - at, 1 + rng.int(below: 16))
            b.removeSubrange(at..<(at + n))
        }
    }
}
