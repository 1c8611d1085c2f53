import Testing
import Foundation
@testable import JupyterKernel

/// A kernel over the in-memory transport, and a client's view of it: requests go in as signed frames, and the
/// replies and everything published come back decoded. The interpreter is any `KernelInterpreter` (a scripted
/// one for the protocol's own tests, the language's adapter for end-to-end ones).
final class KernelClient<Interpreter: KernelInterpreter> {
    let transport = InMemoryTransport()
    let interpreter: Interpreter
    let client = WireCodec(signer: Signer(key: "test-key"))
    let kernel: Kernel

    init(_ interpreter: Interpreter) {
        self.interpreter = interpreter
        kernel = Kernel(transport: transport, key: "test-key", interpreter: interpreter)
    }

    func frames(_ type: String, _ content: JSONValue, session: String = "client") -> [Data] {
        client.encode(
            identities: [Data("peer".utf8)], header: Header(msgType: type, session: session), parent: [:],
            content: content)
    }

    /// Sends one request and returns the reply on that channel and everything published meanwhile.
    func request(
        _ type: String, _ content: JSONValue = [:], on channel: Channel = .shell
    ) throws
        -> (reply: Message?, published: [Message])
    {
        transport.clear()
        kernel.handle(frames(type, content), on: channel)
        let replies = try transport.sent(on: channel).map { try client.decode($0) }
        let published = try transport.published.map { try client.decode(Array($0.dropFirst())) }
        return (replies.last, published)
    }
}

extension Array where Element == Message {
    var types: [String] { map(\.msgType) }
}
