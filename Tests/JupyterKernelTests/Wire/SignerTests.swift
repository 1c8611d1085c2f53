import Testing
import Foundation
@testable import JupyterKernel
@testable import StrideTestSupport

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
