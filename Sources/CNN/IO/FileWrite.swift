import Foundation

/// Writes files atomically without leaving anything behind: the bytes go to a temporary file beside the
/// destination, which is then renamed over it. (Foundation's atomic writes on Linux create a
/// `TemporaryDirectory.*` in /tmp for each file and do not remove it.)
enum FileWrite {
    static func atomically(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array(
            ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".\(name).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw CNNError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        let temporary = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? ""
        }
        var failure: String? = nil
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        fchmod(fd, 0o644)
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw CNNError.io("cannot write \(path): \(failure)")
        }
    }
}
