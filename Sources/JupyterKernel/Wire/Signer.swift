public import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#else
    import CCrypto
#endif

/// HMAC-SHA256 signing of the exact bytes sent and verification, constant-time, of the exact
/// bytes received. An empty key means unsigned messages.
///
/// The digest comes from the system: libcrypto (OpenSSL) on Linux through the `CCrypto` shim,
/// CryptoKit on macOS.
public struct Signer: Sendable {
    let key: [UInt8]?

    public init(key: String) {
        self.key = key.isEmpty ? nil : Array(key.utf8)
    }

    /// Hex signature of the four JSON parts.
    public func sign(_ parts: [Data]) -> String {
        guard let key else { return "" }
        return Self.hmac(key: key, parts).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is right for `parts` (length check, then constant-time compare).
    public func verify(_ signature: Data, _ parts: [Data]) -> Bool {
        guard let key else { return true }
        guard signature.count == 64, let sig = Self.unhex(signature) else { return false }
        return Self.constantTimeEqual(sig, Self.hmac(key: key, parts))
    }

    /// HMAC-SHA256 of the concatenated parts.
    static func hmac(key: [UInt8], _ parts: [Data]) -> [UInt8] {
        var message = [UInt8]()
        message.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts {
            message.append(contentsOf: p)
        }
        #if canImport(CryptoKit)
            let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return Array(code)
        #else
            var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            let ok = key.withUnsafeBufferPointer { k in
                message.withUnsafeBufferPointer { m in
                    out.withUnsafeMutableBufferPointer { o in
                        HMAC(
                            EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, o.baseAddress, &length)
                    }
                }
            }
            return ok == nil ? [] : Array(out.prefix(Int(length)))
        #endif
    }

    /// Compares two digests without an early exit (length first; digests have a public length).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in a.indices {
            diff |= a[i] ^ b[i]
        }
        return diff == 0
    }

    static func unhex(_ d: Data) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(d.count / 2)
        var it = d.makeIterator()
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        while let a = it.next() {
            guard let b = it.next(), let x = v(a), let y = v(b) else { return nil }
            out.append(x << 4 | y)
        }
        return out
    }
}
