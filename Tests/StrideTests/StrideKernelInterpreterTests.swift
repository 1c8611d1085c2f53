import Foundation
import Testing

@testable import JupyterKernel
@testable import StrideTestSupport
@testable import stride

/// The adapter between the kernel and the language, driven end to end over the in-memory transport: a cell's
/// stream output, result and error arrive as Jupyter messages, and the session persists between requests.
@Suite struct StrideKernelInterpreterTests {
    let kernel = KernelClient(StrideKernelInterpreter())

    @Test func cellsRunPrintAndReturnResults() throws {
        let (reply, published) = try kernel.request("execute_request", ["code": "let x = 2 + 3\nprint(x)\nx * 2"])
        #expect(reply?.content["status"] == "ok")
        #expect(published.types == ["status", "execute_input", "stream", "execute_result", "status"])
        #expect(published[2].content["text"] == "5\n")
        #expect(published[3].content["data"]?["text/plain"] == "10")
        let (again, _) = try kernel.request("execute_request", ["code": "x"])
        #expect(again?.content["status"] == "ok")
    }

    @Test func errorsCarryKindMessageAndCaret() throws {
        let (reply, published) = try kernel.request("execute_request", ["code": "let y = zeros(2) @ zeros(3)"])
        #expect(reply?.content["status"] == "error")
        #expect(reply?.content["ename"] == "ShapeError")
        let error = published.first { $0.msgType == "error" }
        guard case .array(let lines)? = error?.content["traceback"] else {
            Issue.record("no traceback")
            return
        }
        #expect(lines.contains { "\($0)".contains("^") })
    }

    @Test func completionAndInspectionComeFromTheBuiltinTable() throws {
        let (complete, _) = try kernel.request("complete_request", ["code": "conv2", "cursor_pos": 5])
        guard case .array(let matches)? = complete?.content["matches"] else {
            Issue.record("no matches")
            return
        }
        #expect(matches.contains("conv2d"))
        let (inspect, _) = try kernel.request("inspect_request", ["code": "relu", "cursor_pos": 4, "detail_level": 0])
        #expect(inspect?.content["found"] == true)
    }
}
