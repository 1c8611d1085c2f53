import ArgumentParser
import Foundation
import Testing

@testable import stride

/// `stride run FILE`: a file that is not UTF-8 is an error (exit status 1) naming the byte and where it is.
@Suite struct RunCommandTests {
    @Test func invalidUTF8IsAnErrorWithItsOffset() throws {
        #expect(RunCommand.firstInvalidUTF8(Data("let a = 1\nprint(\"é\")\n".utf8)) == nil)
        #expect(RunCommand.firstInvalidUTF8(Data([0x61, 0x62, 0xC3, 0x28])) == 2)
        #expect(RunCommand.firstInvalidUTF8(Data([0xE2, 0x82, 0xAC, 0xFF])) == 3)  // "€" then a stray byte
        #expect(RunCommand.firstInvalidUTF8(Data([0x61, 0xE2, 0x82])) == 1)  // truncated at the end
        let path = NSTemporaryDirectory() + "stride-bad-\(UUID().uuidString).stride"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0x6C, 0x65, 0x74, 0x20, 0x78, 0x20, 0x3D, 0x20, 0xFF]).write(to: URL(fileURLWithPath: path))
        let command = try RunCommand.parse([path])
        #expect(throws: ExitCode(1)) { try command.run() }
    }
}
