import CNN
import Foundation

/// What a session lends the code it runs: its memory budget, the ids of the displays it has sent (so a
/// display with an id is created once and updated after), and its scratch directory. The session owns it
/// and hands it to its interpreter; nothing in it refers back to the session.
final class SessionResources {
    let budget: MemoryBudget
    var displayIDs = Set<String>()
    /// The running cell's progress bars.
    let progress = ProgressBoard()
    private var scratch: String? = nil

    init(budget: MemoryBudget) { self.budget = budget }

    /// The scratch directory (`tempdir()`), made on first use under the system's temporary directory.
    func scratchDirectory() throws -> String {
        if let scratch { return scratch }
        var template = Array(
            (NSTemporaryDirectory() as NSString).appendingPathComponent("stride-session-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let path = made else {
            throw StrideError(.io, "cannot create a scratch directory in \(NSTemporaryDirectory())")
        }
        scratch = path
        return path
    }

    /// Removes the scratch directory and everything in it.
    func close() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
        scratch = nil
    }

    deinit { close() }
}
