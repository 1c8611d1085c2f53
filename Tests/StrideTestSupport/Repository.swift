import Foundation

/// Paths inside the repository, for tests that read its files (docs, notebooks, kernelspec).
enum Repository {
    /// The repository's root: two folders up from this file (`Tests/StrideTestSupport/`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file under the root, by its relative path.
    static func file(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
