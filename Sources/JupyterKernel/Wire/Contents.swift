import Foundation

/// The contents of the messages Stride reads and writes, as `Codable` structs with the protocol's field names.
/// A request that lacks a required field fails to decode, and the dispatcher answers it with an error reply.

/// `execute_request`.
public struct ExecuteRequest: Codable, Sendable, Equatable {
    public var code: String
    public var silent: Bool?
    public var storeHistory: Bool?
    public var userExpressions: [String: JSONValue]?
    public var allowStdin: Bool?
    public var stopOnError: Bool?

    public init(
        code: String, silent: Bool? = nil, storeHistory: Bool? = nil, userExpressions: [String: JSONValue]? = nil,
        allowStdin: Bool? = nil, stopOnError: Bool? = nil
    ) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory
        self.userExpressions = userExpressions
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
    }

    enum CodingKeys: String, CodingKey {
        case code, silent
        case storeHistory = "store_history"
        case userExpressions = "user_expressions"
        case allowStdin = "allow_stdin"
        case stopOnError = "stop_on_error"
    }
}

/// `complete_request` and `inspect_request` (the cursor in code points; `detail_level` for inspection).
public struct CodeAtCursor: Codable, Sendable, Equatable {
    public var code: String
    public var cursorPos: Int?
    public var detailLevel: Int?

    public init(code: String, cursorPos: Int? = nil, detailLevel: Int? = nil) {
        self.code = code
        self.cursorPos = cursorPos
        self.detailLevel = detailLevel
    }

    enum CodingKeys: String, CodingKey {
        case code
        case cursorPos = "cursor_pos"
        case detailLevel = "detail_level"
    }
}

/// `is_complete_request`.
public struct IsCompleteRequest: Codable, Sendable, Equatable {
    public var code: String
    public init(code: String) { self.code = code }
}

/// `history_request`.
public struct HistoryRequest: Codable, Sendable, Equatable {
    public var output: Bool?
    public var histAccessType: String?
    public var session: Int?
    public var start: Int?
    public var stop: Int?
    public var n: Int?
    public var pattern: String?
    public var unique: Bool?

    enum CodingKeys: String, CodingKey {
        case output, session, start, stop, n, pattern, unique
        case histAccessType = "hist_access_type"
    }
}

/// `shutdown_request`.
public struct ShutdownRequest: Codable, Sendable, Equatable {
    public var restart: Bool?
}

/// `input_reply` (on stdin).
public struct InputReply: Codable, Sendable, Equatable {
    public var value: String
}

/// `input_request` (on stdin).
public struct InputRequest: Codable, Sendable, Equatable {
    public var prompt: String
    public var password: Bool
}

/// `kernel_info_reply`.
struct KernelInfoReply: Encodable {
    struct Link: Encodable {
        var text: String
        var url: String
    }
    var status = "ok"
    var protocolVersion = "5.5"
    var implementation = "stride"
    var implementationVersion: String
    var languageInfo: JSONValue
    var banner: String
    var helpLinks: [Link]
    var debugger = false
    var supportedFeatures: [String] = []

    enum CodingKeys: String, CodingKey {
        case status, implementation, banner, debugger
        case protocolVersion = "protocol_version"
        case implementationVersion = "implementation_version"
        case languageInfo = "language_info"
        case helpLinks = "help_links"
        case supportedFeatures = "supported_features"
    }
}

/// `complete_reply`.
struct CompleteReply: Encodable {
    struct TypedMatch: Encodable {
        var start: Int
        var end: Int
        var text: String
        var type: String
    }
    struct Metadata: Encodable {
        var types: [TypedMatch]
        enum CodingKeys: String, CodingKey { case types = "_jupyter_types_experimental" }
    }
    var status = "ok"
    var matches: [String]
    var cursorStart: Int
    var cursorEnd: Int
    var metadata: Metadata

    enum CodingKeys: String, CodingKey {
        case status, matches, metadata
        case cursorStart = "cursor_start"
        case cursorEnd = "cursor_end"
    }
}

/// `inspect_reply`.
struct InspectReply: Encodable {
    var status = "ok"
    var found: Bool
    var data: [String: JSONValue]
    var metadata: [String: JSONValue]
}

/// `is_complete_reply`.
struct IsCompleteReply: Encodable {
    var status: String
    var indent: String?
}

/// `history_reply`: rows of `(session, line, input)` or `(session, line, (input, output))`.
struct HistoryReply: Encodable {
    var status = "ok"
    var history: [JSONValue]
}

/// `shutdown_reply`.
struct ShutdownReply: Encodable {
    var status = "ok"
    var restart: Bool
}

/// A reply with only a status (`interrupt_reply`).
struct StatusReply: Encodable {
    var status = "ok"
}

/// `comm_info_reply` (Stride opens no comms).
struct CommInfoReply: Encodable {
    var status = "ok"
    var comms: [String: JSONValue] = [:]
}

/// `execute_reply`.
struct ExecuteReply: Encodable {
    var status: String
    var executionCount: Int
    var userExpressions: [String: JSONValue]? = nil
    var payload: [JSONValue]? = nil
    var ename: String? = nil
    var evalue: String? = nil
    var traceback: [String]? = nil

    enum CodingKeys: String, CodingKey {
        case status, payload, ename, evalue, traceback
        case executionCount = "execution_count"
        case userExpressions = "user_expressions"
    }
}

/// An error reply to any request (`status: error`), from a handler that failed.
struct ErrorReply: Encodable {
    var status = "error"
    var ename: String
    var evalue: String
    var traceback: [String] = []
}

/// iopub `status`.
struct StatusContent: Encodable {
    var executionState: String
    enum CodingKeys: String, CodingKey { case executionState = "execution_state" }
}

/// iopub `execute_input`.
struct ExecuteInputContent: Encodable {
    var code: String
    var executionCount: Int
    enum CodingKeys: String, CodingKey {
        case code
        case executionCount = "execution_count"
    }
}

/// iopub `stream`.
struct StreamContent: Encodable {
    var name: String
    var text: String
}

/// iopub `execute_result`.
struct ExecuteResultContent: Encodable {
    var executionCount: Int
    var data: [String: JSONValue]
    var metadata: [String: JSONValue]
    enum CodingKeys: String, CodingKey {
        case data, metadata
        case executionCount = "execution_count"
    }
}

/// iopub `display_data` / `update_display_data`.
struct DisplayDataContent: Encodable {
    struct Transient: Encodable {
        var displayID: String?
        enum CodingKeys: String, CodingKey { case displayID = "display_id" }
    }
    var data: [String: JSONValue]
    var metadata: [String: JSONValue]
    var transient: Transient
}

/// iopub `error`.
struct ErrorContent: Encodable {
    var ename: String
    var evalue: String
    var traceback: [String]
}

/// iopub `clear_output`.
struct ClearOutputContent: Encodable {
    var wait: Bool
}

/// A request that could not be read: its type and what is wrong, answered as an error reply.
struct BadRequest: Error, CustomStringConvertible {
    var description: String
}

extension Message {
    /// The content decoded as `T`; a `BadRequest` naming the message type when it does not fit.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: content.data())
        } catch DecodingError.keyNotFound(let key, _) {
            throw BadRequest(description: "\(msgType) needs '\(key.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BadRequest(description: "\(msgType): '\(path)' has the wrong type")
        } catch {
            throw BadRequest(description: "\(msgType): unreadable content")
        }
    }
}
