import Testing
import Foundation
import Synchronization
@testable import JupyterKernel
@testable import StrideTestSupport

/// The protocol tests drive the kernel with a scripted interpreter.
typealias KernelHarness = KernelClient<ScriptedInterpreter>

@Suite struct HandlerTests {
    let h = KernelHarness(ScriptedInterpreter())

    @Test func kernelInfoOnShellAndControlBetweenBusyAndIdle() throws {
        for channel in [Channel.shell, .control] {
            let (reply, published) = try h.request("kernel_info_request", on: channel)
            let r = try #require(reply)
            #expect(r.msgType == "kernel_info_reply")
            #expect(r.content["protocol_version"]?.string == "5.5")
            #expect(r.content["language_info"]?["name"]?.string == "scripted")
            #expect(r.content["implementation_version"]?.string == "1.0")
            #expect(published.types == ["status", "status"])
            #expect(published.map { $0.content["execution_state"]?.string } == ["busy", "idle"])
            #expect(published.allSatisfy { $0.parentHeader["msg_type"]?.string == "kernel_info_request" })
            #expect(r.parentHeader["msg_type"]?.string == "kernel_info_request")
            #expect(r.identities == [Data("peer".utf8)])
        }
    }

    @Test func executePublishesInputOutputsAndResultAndCounts() throws {
        let (reply, published) = try h.request("execute_request", ["code": "print"])
        let r = try #require(reply)
        #expect(r.content["status"]?.string == "ok" && r.content["execution_count"]?.int == 1)
        #expect(published.types == ["status", "execute_input", "stream", "execute_result", "status"])
        #expect(published[2].content["text"]?.string == "hello\n")
        #expect(published[3].content["data"]?["text/plain"]?.string == "= print")
        #expect(published[3].content["execution_count"]?.int == 1)
        let (second, _) = try h.request("execute_request", ["code": "1 + 1"])
        #expect(second?.content["execution_count"]?.int == 2)
    }

    @Test func silentAndStoreHistory() throws {
        let (reply, published) = try h.request("execute_request", ["code": "print", "silent": true])
        #expect(reply?.content["execution_count"]?.int == 0)  // not counted
        #expect(published.types == ["status", "status"])  // no outputs
        let (r2, _) = try h.request("execute_request", ["code": "x", "store_history": false])
        #expect(r2?.content["execution_count"]?.int == 0)
        let (history, _) = try h.request("history_request", ["hist_access_type": "tail", "n": 10])
        #expect(history?.content["history"]?.array?.count == 0)
    }

    @Test func displaysClearPagesAndExit() throws {
        let (_, published) = try h.request("execute_request", ["code": "display"])
        let display = try #require(published.first { $0.msgType == "display_data" })
        #expect(display.content["transient"]?["display_id"]?.string == "d1")
        let (_, cleared) = try h.request("execute_request", ["code": "clear"])
        #expect(cleared.first { $0.msgType == "clear_output" }?.content["wait"]?.bool == true)
        let (paged, _) = try h.request("execute_request", ["code": "help"])
        #expect(paged?.content["payload"]?.array?.first?["source"]?.string == "page")
        let (exited, _) = try h.request("execute_request", ["code": "exit"])
        #expect(exited?.content["payload"]?.array?.first?["source"]?.string == "ask_exit")
        #expect(exited?.content["payload"]?.array?.first?["keepkernel"]?.bool == false)
    }

    @Test func errorsArePublishedAndQueuedRequestsAborted() throws {
        h.transport.deliver(h.frames("execute_request", ["code": "queued"]), to: .shell)
        h.transport.deliver(h.frames("kernel_info_request", [:]), to: .shell)
        let (reply, published) = try h.request("execute_request", ["code": "fail"])
        let sent = try h.transport.sent(on: .shell).map { try h.client.decode($0) }
        #expect(sent.first?.content["status"]?.string == "error")
        #expect(sent.first?.content["ename"]?.string == "ValueError")
        #expect(sent.first?.content["traceback"]?.array?.count == 2)
        #expect(sent.map(\.msgType) == ["execute_reply", "execute_reply", "kernel_info_reply"])
        #expect(sent[1].content["status"]?.string == "aborted")  // the queued execute request
        #expect(reply?.msgType == "kernel_info_reply")  // other requests still run
        #expect(published.contains { $0.msgType == "error" && $0.content["evalue"]?.string == "it failed" })
        #expect(h.interpreter.executed == ["fail"])
        // with stop_on_error false nothing is aborted
        h.transport.deliver(h.frames("execute_request", ["code": "next"]), to: .shell)
        _ = try h.request("execute_request", ["code": "fail", "stop_on_error": false])
        #expect(h.interpreter.executed == ["fail", "fail"])
        #expect(h.transport.receive(on: .shell, timeoutMs: 0) != nil)  // still queued
    }

    @Test func aRequestMissingAFieldGetsAnErrorReply() throws {
        let (reply, published) = try h.request("execute_request", ["silent": false])
        let r = try #require(reply)
        #expect(r.msgType == "execute_reply")
        #expect(r.content["status"]?.string == "error")
        #expect(r.content["ename"]?.string == "BadRequest")
        #expect(r.content["evalue"]?.string?.contains("'code'") == true)
        #expect(published.types == ["status", "status"])
        let (typed, _) = try h.request("complete_request", ["code": 5])
        #expect(typed?.content["ename"]?.string == "BadRequest")
        #expect(h.interpreter.executed.isEmpty)
    }

    @Test func completeInspectIsComplete() throws {
        let (c, _) = try h.request("complete_request", ["code": "z", "cursor_pos": 1])
        #expect(c?.content["matches"] == ["zeros", "zip"])
        #expect(c?.content["cursor_start"]?.int == 0 && c?.content["cursor_end"]?.int == 1)
        #expect(c?.content["metadata"]?["_jupyter_types_experimental"]?.array?.count == 2)
        let (noCursor, _) = try h.request("complete_request", ["code": "abc"])
        #expect(noCursor?.content["cursor_end"]?.int == 3)  // defaults to the end
        let (found, _) = try h.request("inspect_request", ["code": "x", "cursor_pos": 1, "detail_level": 1])
        #expect(found?.content["found"]?.bool == true)
        #expect(found?.content["data"]?["text/plain"]?.string == "x: detail 1")
        let (missing, _) = try h.request("inspect_request", ["code": "y", "cursor_pos": 1])
        #expect(missing?.content["found"]?.bool == false && missing?.content["status"]?.string == "ok")
        let (open, _) = try h.request("is_complete_request", ["code": "func f() {"])
        #expect(open?.content["status"]?.string == "incomplete" && open?.content["indent"]?.string == "    ")
        let (done, _) = try h.request("is_complete_request", ["code": "1"])
        #expect(done?.content["status"]?.string == "complete" && done?.content["indent"] == nil)
    }

    @Test func historyTailRangeAndSearch() throws {
        for code in ["a = 1", "b = 2", "a + b"] { _ = try h.request("execute_request", ["code": .string(code)]) }
        let (tail, _) = try h.request("history_request", ["hist_access_type": "tail", "n": 2, "output": true])
        let rows = try #require(tail?.content["history"]?.array)
        #expect(rows.count == 2)
        #expect(rows[1] == [1, 3, ["a + b", "= a + b"]])
        let (range, _) = try h.request(
            "history_request", ["hist_access_type": "range", "session": 0, "start": 1, "stop": 3])
        #expect(range?.content["history"]?.array?.map { $0.array?[2] } == ["a = 1", "b = 2"])
        let (search, _) = try h.request("history_request", ["hist_access_type": "search", "pattern": "a*"])
        #expect(search?.content["history"]?.array?.count == 2)
    }

    @Test func inputGoesThroughStdin() throws {
        h.transport.deliver(h.frames("input_reply", ["value": "Ada"]), to: .stdin)
        let (reply, published) = try h.request("execute_request", ["code": "input", "allow_stdin": true])
        let asked = try #require(h.transport.sent(on: .stdin).first)
        let request = try h.client.decode(asked)
        #expect(request.msgType == "input_request" && request.content["prompt"]?.string == "name? ")
        #expect(request.parentHeader["msg_type"]?.string == "execute_request")
        #expect(reply?.content["status"]?.string == "ok")
        #expect(published.first { $0.msgType == "execute_result" }?.content["data"]?["text/plain"]?.string == "got Ada")
        let (refused, _) = try h.request("execute_request", ["code": "input", "allow_stdin": false])
        #expect(refused?.content["ename"]?.string == "StdinNotAllowed")
    }

    @Test func userExpressions() throws {
        let (reply, _) = try h.request(
            "execute_request", ["code": "nothing", "user_expressions": ["a": "1 + 2", "b": "bad", "c": 4]])
        let ue = try #require(reply?.content["user_expressions"])
        #expect(ue["a"]?["status"]?.string == "ok" && ue["a"]?["data"]?["text/plain"]?.string == "3")
        #expect(ue["b"]?["status"]?.string == "error")
        #expect(ue["c"]?["ename"]?.string == "TypeError")
    }

    @Test func unknownTypesBadSignaturesAndCommInfo() throws {
        let (unknown, _) = try h.request("made_up_request")
        #expect(unknown?.msgType == "made_up_reply" && unknown?.content["ename"]?.string == "UnknownMessageType")
        let (ignored, published) = try h.request("made_up_event")
        #expect(ignored == nil && published.isEmpty)
        let forged = WireCodec(signer: Signer(key: "wrong-key")).encode(
            identities: [], header: Header(msgType: "execute_request", session: "x"), parent: [:],
            content: ["code": "1"])
        h.transport.clear()
        h.kernel.handle(forged, on: .shell)
        #expect(h.kernel.droppedMessages == 1)
        #expect(h.transport.sent(on: .shell).isEmpty && h.interpreter.executed.isEmpty)
        h.kernel.handle([Data("garbage".utf8)], on: .control)
        #expect(h.kernel.droppedMessages == 2)
        let (comm, _) = try h.request("comm_info_request")
        #expect(comm?.content["comms"] == [:])
    }

    @Test func interruptShutdownAndRestart() throws {
        let (interrupt, _) = try h.request("interrupt_request", on: .control)
        #expect(interrupt?.msgType == "interrupt_reply" && h.interpreter.interrupts == 1)
        _ = try h.request("execute_request", ["code": "a"])
        let (restart, _) = try h.request("shutdown_request", ["restart": true], on: .control)
        #expect(restart?.content["restart"]?.bool == true)
        #expect(h.kernel.shutdownRequested)
        #expect(h.interpreter.resets == 0)  // the shell thread clears the session, not control
        h.kernel.applyPendingRestart()
        #expect(h.interpreter.resets == 1 && h.kernel.executionCount == 0 && h.kernel.history.entries.isEmpty)
        let other = KernelHarness(ScriptedInterpreter())
        let (stop, _) = try other.request("shutdown_request", ["restart": false], on: .shell)
        #expect(
            stop?.content["restart"]?.bool == false && other.kernel.shutdownRequested && other.interpreter.resets == 0)
    }
}
