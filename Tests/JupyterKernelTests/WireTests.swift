import Testing
import Foundation
@testable import JupyterKernel

@Suite struct SignerTests {
    @Test func hmacSha256MatchesAKnownVector() {
        // Python: hmac.new(b"secret-key", b'{"a":1}' + b'{}' + b'{}' + b'{"code":"1 + 1"}', hashlib.sha256).hexdigest()
        let s = Signer(key: "secret-key")
        let parts = [Data(#"{"a":1}"#.utf8), Data("{}".utf8), Data("{}".utf8), Data(#"{"code":"1 + 1"}"#.utf8)]
        #expect(s.sign(parts) == "cb5e8d798ee3034fb0369deadd962a772d5dc3c755b0c4e20b28e54e346f31e7")
        #expect(s.verify(Data("cb5e8d798ee3034fb0369deadd962a772d5dc3c755b0c4e20b28e54e346f31e7".utf8), parts))
        #expect(!s.verify(Data(String(repeating: "0", count: 64).utf8), parts))
        #expect(!s.verify(Data("short".utf8), parts))
        #expect(
            !s.verify(Data("cb5e8d798ee3034fb0369deadd962a772d5dc3c755b0c4e20b28e54e346f31e7".utf8), parts.reversed()))
    }

    @Test func emptyKeyMeansUnsigned() {
        let s = Signer(key: "")
        #expect(s.sign([Data("x".utf8)]) == "")
        #expect(s.verify(Data(), [Data("x".utf8)]))
    }
}

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

@Suite struct StateTests {
    @Test func throttleCoalescesAndCaps() {
        var t = OutputThrottle(limitBytes: 100)
        t.write("stdout", "a"); t.write("stdout", "b"); t.write("stderr", "c")
        let d = t.drain()
        #expect(d.map { $0.name } == ["stdout", "stderr"] && d[0].text == "ab")
        t.write("stdout", String(repeating: "x", count: 200))
        #expect(t.drain().first?.text.count == 97)
        #expect(t.finish()?.contains("output truncated: 103 more bytes") == true)
        #expect(t.finish() == nil)
    }

    @Test func historyTailRangeSearch() {
        var h = HistoryStore(session: 3)
        for (i, c) in ["1 + 1", "let x = 2", "1 + 2", "1 + 1"].enumerated() {
            h.append(line: i + 1, input: c, output: nil)
        }
        #expect(h.tail(2).map { $0.input } == ["1 + 2", "1 + 1"])
        #expect(h.range(session: 0, start: 2, stop: 3).map { $0.line } == [2])
        #expect(h.range(session: 3, start: 1, stop: nil).count == 4)
        #expect(h.search(pattern: "1 + *", n: nil, unique: false).count == 3)
        #expect(h.search(pattern: "1 + *", n: nil, unique: true).map { $0.input } == ["1 + 2", "1 + 1"])
        #expect(h.search(pattern: "1 + *", n: 1, unique: false).map { $0.line } == [4])
    }
}
