import Testing
import Foundation
@testable import JupyterKernel
@testable import StrideTestSupport

@Suite struct WireCodecTests {
    let codec = WireCodec(signer: Signer(key: "k"))

    @Test func encodeThenDecodeRoundTrips() throws {
        let header = Header(msgType: "execute_request", session: "s1")
        let frames = codec.encode(
            identities: [Data("id-1".utf8)], header: header, parent: [:], metadata: ["m": 1],
            content: ["code": "1 + 1", "silent": false])
        #expect(frames[1] == WireCodec.delimiter)
        let m = try codec.decode(frames)
        #expect(m.identities == [Data("id-1".utf8)])
        #expect(m.msgType == "execute_request" && m.msgID == header.msgID && m.session == "s1")
        #expect(m.content["code"]?.string == "1 + 1" && m.content["silent"]?.bool == false && m.metadata["m"]?.int == 1)
        #expect(header.date.hasSuffix("Z") && header.date.count == 27 && header.version == "5.5")
    }

    @Test func malformedMessagesAreRejectedNotFatal() throws {
        let good = codec.encode(
            identities: [], header: Header(msgType: "kernel_info_request", session: "s"), parent: [:], content: [:])
        #expect(throws: WireCodec.DecodeError.noDelimiter) { try codec.decode([Data("no delimiter".utf8)]) }
        #expect(throws: WireCodec.DecodeError.tooFewParts(2)) {
            try codec.decode([WireCodec.delimiter, Data("sig".utf8), Data("{}".utf8)])
        }
        var forged = good; forged[1] = Data(String(repeating: "a", count: 64).utf8)
        #expect(throws: WireCodec.DecodeError.badSignature) { try codec.decode(forged) }
        let unsigned = WireCodec(signer: Signer(key: ""))
        #expect(throws: WireCodec.DecodeError.badJSON("header")) {
            try unsigned.decode([
                WireCodec.delimiter, Data(), Data("{bad".utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8),
            ])
        }
        #expect(throws: WireCodec.DecodeError.badJSON("content")) {
            try unsigned.decode([
                WireCodec.delimiter, Data(), Data(#"{"msg_type":"x","msg_id":"1"}"#.utf8), Data("{}".utf8),
                Data("{}".utf8), Data("[1]".utf8),
            ])
        }
    }

    @Test func jsonValuesRoundTrip() throws {
        let v: JSONValue = ["a": [1, .double(2.5), "x", nil, true], "b": ["c": "é🙂"]]
        #expect(try JSONValue.parse(v.data()) == v)
    }
}
