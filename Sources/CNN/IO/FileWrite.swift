import Foundation

/// Writes files atomically without leaving anything behind: the bytes go to a temporary file beside the
/// destination, which is then renamed over it. (Foundation's atomic writes on Linux create a
/// `TemporaryDirectory.*` in /tmp for each file and do not remove it.) Bytes are written in 8 MiB pieces with the
/// interrupt checked between them; an interrupted or failed write removes the partial file.
enum FileWrite {
    /// Where a writer puts its bytes.
    struct Sink {
        let fd: Int32
        let token: CancellationToken?

        /// Writes all of `raw` (in pieces, checking the interrupt between them).
        func write(_ raw: UnsafeRawBufferPointer) throws {
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                if token?.isCancelled == true { throw CNNError.interrupted }
                let n = Foundation.write(fd, base + offset, Swift.min(raw.count - offset, 8 << 20))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CNNError.io(String(cString: strerror(errno)))
                }
                offset += n
            }
        }

        func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }
    }

    static func atomically(_ data: Data, to path: String) throws {
        try atomically(to: path) { try $0.write(data) }
    }

    /// Runs `produce` with a sink on a temporary file, then renames it to `path`.
    static func atomically(to path: String, _ produce: (Sink) throws -> Void) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array(
            ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".\(name).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw CNNError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        let temporary = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? ""
        }
        do {
            try produce(Sink(fd: fd, token: Cancellation.current))
        } catch {
            close(fd)
            unlink(temporary)
            if case CNNError.io(let m) = error { throw CNNError.io("cannot write \(path): \(m)") }
            throw error
        }
        fchmod(fd, 0o644)
        close(fd)
        if rename(temporary, path) != 0 {
            let failure = String(cString: strerror(errno))
            unlink(temporary)
            throw CNNError.io("cannot write \(path): \(failure)")
        }
    }
}
