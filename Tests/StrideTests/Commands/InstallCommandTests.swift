import ArgumentParser
import Foundation
import Testing

@testable import stride

/// `stride install --prefix DIR` writes the kernelspec front ends read.
@Suite struct InstallCommandTests {
    @Test func writesAKernelspecUnderThePrefix() throws {
        let prefix = NSTemporaryDirectory() + "stride-install-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let command = try InstallCommand.parse(["--prefix", prefix])
        try command.run()
        let data = try Data(contentsOf: URL(fileURLWithPath: prefix + "/share/jupyter/kernels/stride/kernel.json"))
        let spec = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(spec["display_name"] as? String == "Stride (CNN)")
        #expect(spec["language"] as? String == "stride")
        #expect(spec["interrupt_mode"] as? String == "message")
        let argv = try #require(spec["argv"] as? [String])
        #expect(argv.suffix(3) == ["kernel", "-f", "{connection_file}"])
    }
}
