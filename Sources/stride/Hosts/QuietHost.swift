import Render
import StrideLang

/// A host that discards output and answers input with a fixed line (the fuzzer and the benchmarks).
final class QuietHost: StrideLang.Host {
    func write(_ text: String, to stream: OutputStreamName) {}
    func display(_ bundle: MIMEBundle, id: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func readLine(prompt: String) throws -> String { "quiet" }
    func page(_ text: String) {}
}
