import Testing
import Foundation
@testable import CNN
@testable import StrideTestSupport

@Suite struct IOTests {
    @Test func npyRoundTripKeepsEveryBit() throws {
        for dt in DType.allCases {
            let t =
                dt == .int64
                ? try Tensor.arange(-12, 12, dtype: dt).reshaped([2, 3, 4]) : try Tensor.randn([2, 3, 4], dtype: dt)
            let back = try NPY.decode(NPY.encode(t))
            #expect(back.shape == t.shape && back.dtype == dt && back.values == t.values)
        }
        let data = try NPY.encode(try Tensor.zeros([3]))
        #expect(data.count % 64 == 0 || (data.count - 12) % 64 == 0)
        #expect(String(decoding: data[8..<80], as: UTF8.self).contains("'shape': (3,)"))
    }

    @Test func npyReadsIntegersUint8AndFortranOrder() throws {
        func npy(_ descr: String, _ shape: String, fortran: Bool = false, _ body: [UInt8]) -> Data {
            var h = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
            h += String(repeating: " ", count: (64 - (11 + h.utf8.count) % 64) % 64) + "\n"
            return Data(
                [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.utf8.count & 0xff), UInt8(h.utf8.count >> 8)]
                    + Array(h.utf8) + body)
        }
        #expect(try NPY.decode(npy("|u1", "(3,)", [0, 128, 255])).values == [0, 128, 255])
        #expect(try NPY.decode(npy("<i4", "(2,)", [0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0])).values == [-1, 7])
        #expect(
            try NPY.decode(npy("<i8", "(2, 2)", fortran: true, (0..<4).flatMap { [UInt8($0), 0, 0, 0, 0, 0, 0, 0] }))
                .values == [0, 2, 1, 3])
        #expect(throws: CNNError.self) { try NPY.decode(Data([1, 2, 3])) }
        #expect(throws: CNNError.self) { try NPY.decode(npy("<c8", "(1,)", [0, 0, 0, 0, 0, 0, 0, 0])) }
    }

    @Test func npzRoundTrip() throws {
        let a = try Tensor.randn([2, 2]), b = try Tensor.randn([3], dtype: .float64)
        let items = try NPZ.decode(NPZ.encode([("0.weight", a), ("bias", b)]))
        #expect(items.map { $0.0 } == ["0.weight", "bias"])
        #expect(items[0].1.values == a.values && items[1].1.values == b.values)
    }

    @Test func idxReadsMNISTStyleFiles() throws {
        let bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 255]
        let t = try IDX.decode(Data(bytes))
        #expect(t.shape == [2, 1, 2] && t.values == [10, 20, 30, 255])
        #expect(throws: CNNError.self) { try IDX.decode(Data([0, 0, 8, 3, 0])) }
    }
}
