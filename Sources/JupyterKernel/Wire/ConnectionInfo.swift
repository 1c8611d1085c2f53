import Foundation

/// The connection file Jupyter writes for a kernel.
public struct ConnectionInfo: Codable, Sendable {
    public var transport: String
    public var ip: String
    public var shell_port: Int
    public var iopub_port: Int
    public var stdin_port: Int
    public var control_port: Int
    public var hb_port: Int
    public var key: String
    public var signature_scheme: String

    public static func load(_ path: String) throws -> ConnectionInfo {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw KernelError("cannot read connection file \(path)")
        }
        return try JSONDecoder().decode(ConnectionInfo.self, from: d)
    }

    /// The ZeroMQ endpoint for a port (`tcp://127.0.0.1:5555` or `ipc://path-5555`).
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// A kernel-side failure (bad connection file, socket error).
public struct KernelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
