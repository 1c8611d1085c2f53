public import Foundation
import Crypto

/// HMAC-SHA256 signing of the exact bytes sent and verification, constant-time, of the exact
/// bytes received. An empty key means unsigned messages.
public struct Signer: @unchecked Sendable {  // SymmetricKey is immutable
    let key: SymmetricKey?
    public init(key: String, scheme: String = "hmac-sha256") {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
    }
    /// Hex signature of the four JSON parts.
    public func sign(_ parts: [Data]) -> String {
        guard let key else { return "" }
        var h = HMAC<SHA256>(key: key)
        for p in parts { h.update(data: p) }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
    /// Whether `signature` is right for `parts` (length check, then constant-time compare).
    public func verify(_ signature: Data, _ parts: [Data]) -> Bool {
        guard let key else { return true }
        guard signature.count == 64, let sig = Self.unhex(signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(sig, authenticating: parts.reduce(Data(), +), using: key)
    }
    static func unhex(_ d: Data) -> Data? {
        var out = Data(capacity: d.count / 2)
        var it = d.makeIterator()
        func v(_ c: UInt8) -> UInt8? {
            switch c { case 48...57: c - 48; case 97...102: c - 87; case 65...70: c - 55; default: nil }
        }
        while let a = it.next() {
            guard let b = it.next(), let x = v(a), let y = v(b) else { return nil }
            out.append(x << 4 | y)
        }
        return out
    }
}
