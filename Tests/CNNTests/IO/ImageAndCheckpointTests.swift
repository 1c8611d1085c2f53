import Foundation
import Testing

@testable import CNN
@testable import StrideTestSupport

/// Image files, safetensors and the restricted unpickler at the runtime level (the Python tests compare with
/// Pillow, PyTorch and safetensors).
@Suite struct ImageAndCheckpointTests {
    func isIO(_ e: any Error, mentioning text: String) -> Bool {
        guard case CNNError.io(let m) = e else { return false }
        return m.contains(text)
    }

    @Test func pngRoundTripIsExactForEightBitValues() throws {
        for channels in 1...4 {
            let levels = (0..<(channels * 5 * 7)).map { Double(($0 * 37) % 256) / 255 }
            let t = try Tensor(levels, shape: [channels, 5, 7])
            let back = try ImageFile.decode(try ImageFile.encodePNG(t), name: "t.png")
            #expect(back.shape == [channels, 5, 7])
            #expect(zip(back.values, t.values).allSatisfy { abs($0 - $1) < 1e-7 })
        }
    }

    @Test func brokenImagesAreIOErrorsNamingTheFile() throws {
        let png = try ImageFile.encodePNG(try Tensor.zeros([3, 16, 16]))
        #expect(throws: (any Error).self) { try ImageFile.decode(png.prefix(png.count / 2), name: "half.png") }
        do {
            _ = try ImageFile.decode(png.prefix(png.count / 2), name: "half.png")
        } catch {
            #expect(isIO(error, mentioning: "half.png"))
        }
        do {
            _ = try ImageFile.decode(Data("GIF89a".utf8), name: "x.gif")
            Issue.record("a GIF was decoded")
        } catch {
            #expect(isIO(error, mentioning: "not a PNG or JPEG"))
        }
        do {
            _ = try ImageFile.decode(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), name: "cut.jpg")
            Issue.record("a truncated JPEG was decoded")
        } catch {
            #expect(isIO(error, mentioning: "cut.jpg"))
        }
    }

    @Test func safetensorsRoundTripAndValidation() throws {
        let w = try Tensor.randn([2, 3], dtype: .float64)
        let n = try Tensor.arange(0, 4, dtype: .int64)
        let data = try SafeTensors.encode([("w", w), ("n", n)])
        let back = try SafeTensors.decode([UInt8](data), name: "m.safetensors")
        #expect(back.map(\.0) == ["w", "n"])
        #expect(back[0].1.values == w.values && back[0].1.dtype == .float64)
        #expect(back[1].1.values == n.values && back[1].1.dtype == .int64)
        func file(_ header: String, data: Int) -> [UInt8] {
            let h = [UInt8](header.utf8)
            return (0..<8).map { UInt8((h.count >> (8 * $0)) & 0xff) } + h + [UInt8](repeating: 0, count: data)
        }
        let overlapping = file(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            data: 12)
        let wrongSize = file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8)
        let huge = file(#"{"a":{"dtype":"F32","shape":[1048576,1048576],"data_offsets":[0,4398046511104]}}"#, data: 8)
        for (bytes, text) in [(overlapping, "overlaps"), (wrongSize, "12 bytes"), (huge, "outside")] {
            do {
                _ = try SafeTensors.decode(bytes, name: "bad.safetensors")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(isIO(error, mentioning: text), "\(error)")
            }
        }
    }

    /// A protocol-2 pickle of `os.system("true")`: refused at its GLOBAL, before anything could be called.
    @Test func theUnpicklerRefusesGlobalsAStateDictDoesNotNeed() throws {
        let evil: [UInt8] =
            [0x80, 0x02] + Array("cposix\nsystem\n".utf8) + [0x58, 4, 0, 0, 0] + Array("true".utf8)
            + [0x85, 0x52, 0x2E]
        var u = Unpickler(evil, name: "evil.pkl") { _, _, _, _ in try Tensor.zeros([1]) }
        do {
            _ = try u.load()
            Issue.record("the pickle was accepted")
        } catch {
            #expect(isIO(error, mentioning: "'posix.system'"))
        }
        // what a state dict uses: an OrderedDict of a rebuilt tensor from a storage
        let storage: [UInt8] = [0, 0, 128, 63, 0, 0, 0, 64]  // Float32 1, 2
        var ok = Unpickler(
            [0x80, 0x02] + Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x58, 1, 0, 0, 0, 0x77]
                + Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28, 0x28, 0x58, 7, 0, 0, 0]
                + Array("storage".utf8) + Array("ctorch\nFloatStorage\n".utf8) + [
                    0x58, 1, 0, 0, 0, 0x30, 0x58, 3, 0, 0, 0,
                ]
                + Array("cpu".utf8) + [
                    0x4B, 2, 0x74, 0x51, 0x4B, 0, 0x4B, 2, 0x85, 0x4B, 1, 0x85, 0x89, 0x29, 0x74, 0x52,
                ]
                + [0x73, 0x2E],
            name: "ok.pkl"
        ) { ref, offset, size, stride in
            guard case .storage(_, let type) = ref else { throw CNNError.io("no storage") }
            return try TorchCheckpoint.tensor(
                storage, type: type, offset: offset, size: size, stride: stride, name: "ok")
        }
        let v = try ok.load()
        let sd = try TorchCheckpoint.stateDict(v, name: "ok.pkl")
        #expect(sd.count == 1 && sd[0].0 == "w" && sd[0].1.values == [1, 2])
    }

    @Test func resizeWeightsArePartitionsOfOneAndIdentityKeepsTheImage() throws {
        for (input, output) in [(37, 20), (20, 61), (5, 5), (1, 3), (9, 1)] {
            for aa in [true, false] {
                for taps in ImageResize.weights(input: input, output: output, antialias: aa) {
                    #expect(abs(taps.taps.reduce(0) { $0 + $1.1 } - 1) < 1e-12)
                    #expect(taps.taps.allSatisfy { $0.0 >= 0 && $0.0 < input })
                }
            }
        }
        let x = try Tensor.rand([3, 6, 7])
        #expect(try ImageResize.resize(x, size: [6, 7]).values == x.values)
        #expect(try ImageResize.outputSize(height: 37, width: 50, size: [16]) == (16, 21))
        #expect(try ImageResize.centerCrop(x, size: [6, 7]).values == x.values)
    }
}
