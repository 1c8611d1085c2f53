public import Foundation

/// A message header.
public struct Header: Sendable, Equatable {
    public var msgID: String
    public var msgType: String
    public var session: String
    public var username: String
    public var date: String
    public var version: String

    public init(msgType: String, session: String, username: String = "stride") {
        msgID = UUID().uuidString.lowercased()
        self.msgType = msgType; self.session = session; self.username = username
        date = Timestamp.now(); version = "5.5"
    }
    public var json: JSONValue {
        [
            "msg_id": .string(msgID), "msg_type": .string(msgType), "session": .string(session),
            "username": .string(username), "date": .string(date), "version": .string(version),
        ]
    }
}

/// UTC ISO 8601 with a zero-padded fractional part and `Z`.
public enum Timestamp {
    public static func now() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
            Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(tv.tv_usec))
    }
}

/// A decoded message: routing identities, the four JSON parts and raw buffers.
public struct Message: Sendable {
    public var identities: [Data]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [Data]

    public var msgType: String { header["msg_type"]?.string ?? "" }
    public var msgID: String { header["msg_id"]?.string ?? "" }
    public var session: String { header["session"]?.string ?? "" }
}

/// Splits incoming frames at `<IDS|MSG>` and verifies the signature; joins and signs outgoing ones.
/// The only place that touches message bytes.
public struct WireCodec: Sendable {
    public static let delimiter = Data("<IDS|MSG>".utf8)
    public let signer: Signer
    public init(signer: Signer) { self.signer = signer }

    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case noDelimiter, tooFewParts(Int), badSignature, badJSON(String)
        public var description: String {
            switch self {
            case .noDelimiter: "no <IDS|MSG> delimiter"
            case .tooFewParts(let n): "only \(n) parts after the delimiter (5 needed)"
            case .badSignature: "signature does not verify"
            case .badJSON(let p): "\(p) is not a JSON object"
            }
        }
    }

    public func decode(_ frames: [Data]) throws -> Message {
        guard let d = frames.firstIndex(of: Self.delimiter) else { throw DecodeError.noDelimiter }
        let rest = Array(frames[(d + 1)...])
        guard rest.count >= 5 else { throw DecodeError.tooFewParts(rest.count) }
        guard signer.verify(rest[0], Array(rest[1...4])) else { throw DecodeError.badSignature }
        func obj(_ i: Int, _ name: String) throws -> JSONValue {
            guard let v = try? JSONValue.parse(rest[i]), case .object = v else { throw DecodeError.badJSON(name) }
            return v
        }
        let header = try obj(1, "header")
        guard header["msg_type"]?.string != nil, header["msg_id"]?.string != nil else {
            throw DecodeError.badJSON("header (msg_type, msg_id)")
        }
        return Message(
            identities: Array(frames[..<d]), header: header, parentHeader: try obj(2, "parent_header"),
            metadata: try obj(3, "metadata"), content: try obj(4, "content"), buffers: Array(rest.dropFirst(5)))
    }

    public func encode(
        identities: [Data], header: Header, parent: JSONValue, metadata: JSONValue = [:], content: JSONValue
    ) -> [Data] {
        sign(identities: identities, [header.json.data(), parent.data(), metadata.data(), content.data()])
    }

    /// Encodes a content struct (`Contents.swift`).
    public func encode<Content: Encodable>(
        identities: [Data], header: Header, parent: JSONValue, metadata: JSONValue = [:], content: Content
    ) -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = (try? encoder.encode(content)) ?? Data("{}".utf8)
        return sign(identities: identities, [header.json.data(), parent.data(), metadata.data(), body])
    }

    func sign(identities: [Data], _ parts: [Data]) -> [Data] {
        identities + [Self.delimiter, Data(signer.sign(parts).utf8)] + parts
    }
}
