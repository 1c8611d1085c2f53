public import Render
public import StrideLang

/// A host that records everything, for tests.
public final class RecordingHost: Host {
    public enum Event: Equatable {
        case write(String, OutputStreamName), display(MIMEBundle, String?, Bool), clear(Bool), page(String), exit
    }
    public var events: [Event] = []
    public var inputs: [String] = []
    public init(inputs: [String] = []) { self.inputs = inputs }
    public var stdout: String {
        events.compactMap {
            if case .write(let s, .stdout) = $0 { return s }; return nil
        }.joined()
    }
    public var stderr: String {
        events.compactMap {
            if case .write(let s, .stderr) = $0 { return s }; return nil
        }.joined()
    }
    public var displays: [(MIMEBundle, String?, Bool)] {
        events.compactMap {
            if case .display(let b, let i, let u) = $0 { return (b, i, u) }; return nil
        }
    }
    public func write(_ text: String, to stream: OutputStreamName) { events.append(.write(text, stream)) }
    public func display(_ bundle: MIMEBundle, id: String?, update: Bool) { events.append(.display(bundle, id, update)) }
    public func clearOutput(wait: Bool) { events.append(.clear(wait)) }
    public func readLine(prompt: String) throws -> String {
        guard !inputs.isEmpty else { throw HostInputError("no input available") }
        return inputs.removeFirst()
    }
    public func page(_ text: String) { events.append(.page(text)) }
    public func requestExit() { events.append(.exit) }
}
