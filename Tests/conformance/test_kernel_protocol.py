"""Protocol behaviour beyond jupyter_kernel_test, driving the real kernel with jupyter_client."""
import json, os, time, uuid, hmac, hashlib
import pytest
import zmq
from jupyter_client.manager import start_new_kernel
from conftest import KERNEL_NAME


@pytest.fixture()
def kernel():
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code, timeout=20, **kw):
    """Executes code; returns (reply, [iopub messages between busy and idle])."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    msgs = collect(kc, msg_id)
    return reply, msgs


def collect(kc, msg_id, timeout=10):
    out = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out
    raise AssertionError("no idle status")


def interrupt_after(km, kc, code, seconds):
    """Runs `code`, interrupts it after `seconds` and checks the error reply comes (a generous bound: the debug
    kernel on a loaded 2-core machine; the tight figure is `stride bench`'s interrupt section)."""
    msg_id = kc.execute(code)
    time.sleep(seconds)
    t0 = time.time()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=30)
    assert time.time() - t0 < 10.0
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    collect(kc, msg_id)


def test_interrupt_busy_loop_keeps_bindings(kernel):
    km, kc = kernel
    run(kc, "var n = 0\nlet keep = 41")
    interrupt_after(km, kc, "while true { n += 1 }", 0.5)
    r, msgs = run(kc, "keep + 1")
    assert [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"] == "42"


def test_interrupt_long_tensor_work(kernel):
    km, kc = kernel
    # the inputs are bound in a cell of their own: an interrupt that landed while randn was still filling them
    # (a debug build on a loaded machine) would leave `x` unbound
    r, _ = run(kc, "let x = randn(64, 64, 64, 64)\nlet w = randn(64, 64, 3, 3)", timeout=120)
    assert r["content"]["status"] == "ok"
    interrupt_after(km, kc, "for i in 0..<100 { let y = conv2d(x, w, nil, padding: 1) }", 1.0)
    r, msgs = run(kc, "x.shape")
    assert r["content"]["status"] == "ok"
    assert [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"] == "[64, 64, 64, 64]"


def test_queued_cells_after_error_are_aborted(kernel):
    km, kc = kernel
    ids = [kc.execute('assert(false, "boom")'), kc.execute("1"), kc.execute("2")]
    replies = {}
    while len(replies) < 3:
        r = kc.get_shell_msg(timeout=10)
        replies[r["parent_header"]["msg_id"]] = r["content"]["status"]
    assert [replies[i] for i in ids] == ["error", "aborted", "aborted"]
    r, _ = run(kc, "3")
    assert r["content"]["status"] == "ok"


def test_silent_and_store_history_counters(kernel):
    km, kc = kernel
    r1, _ = run(kc, "1")
    c = r1["content"]["execution_count"]
    r2, msgs = run(kc, 'print("quiet")', silent=True)
    assert not [m for m in msgs if m["msg_type"] in ("stream", "execute_input", "execute_result")]
    r3, _ = run(kc, "2", store_history=False)
    assert r3["content"]["execution_count"] == c
    r4, _ = run(kc, "3")
    assert r4["content"]["execution_count"] == c + 1


def test_user_expressions(kernel):
    km, kc = kernel
    r, _ = run(kc, "let a = 20", user_expressions={"double": "a * 2", "bad": "nope"})
    ue = r["content"]["user_expressions"]
    assert ue["double"]["status"] == "ok" and ue["double"]["data"]["text/plain"] == "40"
    assert ue["bad"]["status"] == "error"


def test_input_round_trip_and_disallowed(kernel):
    km, kc = kernel
    msg_id = kc.execute('let name = input("who? ")\nprint("hi \\(name)")', allow_stdin=True)
    req = kc.get_stdin_msg(timeout=10)
    assert req["msg_type"] == "input_request" and req["content"]["prompt"] == "who? "
    kc.input("Ada")
    reply = kc.get_shell_msg(timeout=10)
    assert reply["content"]["status"] == "ok"
    msgs = collect(kc, msg_id)
    assert any(m["msg_type"] == "stream" and "hi Ada" in m["content"]["text"] for m in msgs)
    r, msgs = run(kc, 'input("x")', allow_stdin=False)
    assert r["content"]["status"] == "error" and "allow_stdin" in r["content"]["evalue"]


def test_kernel_info_on_control_and_heartbeat_while_busy(kernel):
    km, kc = kernel
    msg_id = kc.execute("var i = 0\nwhile i < 30000000 { i += 1 }")
    time.sleep(0.3)
    # kernel_info on control
    ctl = kc.control_channel
    m = kc.session.msg("kernel_info_request")
    ctl.send(m)
    rep = ctl.get_msg(timeout=30)
    assert rep["msg_type"] == "kernel_info_reply"
    assert kc.hb_channel.is_beating()
    km.interrupt_kernel()
    kc.get_shell_msg(timeout=60)
    collect(kc, msg_id)


def _raw_shell(km):
    ctx = zmq.Context.instance()
    s = ctx.socket(zmq.DEALER)
    info = km.get_connection_info()
    s.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    return s, key


def _frames(key, msg_type, content, sign=True):
    header = json.dumps({"msg_id": str(uuid.uuid4()), "msg_type": msg_type, "session": "raw", "username": "t", "date": "2026-01-01T00:00:00.000000Z", "version": "5.5"}).encode()
    parts = [header, b"{}", b"{}", json.dumps(content).encode()]
    sig = hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest().encode() if sign else b"0" * 64
    return [b"<IDS|MSG>", sig] + parts


def test_forged_signature_is_not_executed(kernel):
    km, kc = kernel
    s, key = _raw_shell(km)
    s.send_multipart(_frames(key, "execute_request", {"code": "let forged = 1", "silent": False}, sign=False))
    time.sleep(0.5)
    r, msgs = run(kc, "forged")
    assert r["content"]["status"] == "error" and r["content"]["ename"] == "NameError"
    s.close()


def test_malformed_frames_are_survived(kernel):
    km, kc = kernel
    s, key = _raw_shell(km)
    s.send_multipart([b"no delimiter here", b"{}"])
    s.send_multipart([b"<IDS|MSG>", b"sig", b"{not json"])
    hdr = _frames(key, "execute_request", {"code": 42, "silent": "yes"})
    s.send_multipart(hdr)
    bad_json = [b"<IDS|MSG>"]
    parts = [b"{bad", b"{}", b"{}", b"{}"]
    bad_json += [hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest().encode()] + parts
    s.send_multipart(bad_json)
    s.send_multipart([b"<IDS|MSG>", b"x" * 64] + [b"A" * (100 * 1024 * 1024)] + [b"{}"] * 3)
    time.sleep(1.0)
    # the wrong-typed execute got an error reply, not a crash
    assert s.poll(30000)
    reply = s.recv_multipart()
    content = json.loads(reply[-1])
    assert content["status"] == "error"
    r, _ = run(kc, "1 + 1")
    assert r["content"]["status"] == "ok"
    assert km.is_alive()
    s.close()


def test_restart_clears_the_session(kernel):
    km, kc = kernel
    run(kc, "let before = 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=20)
    r, _ = run(kc, "before")
    assert r["content"]["status"] == "error" and r["content"]["ename"] == "NameError"


def test_shutdown_exits_cleanly():
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    kc.shutdown()
    rep = kc.get_control_msg(timeout=30)
    assert rep["msg_type"] == "shutdown_reply"
    deadline = time.time() + 30
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.05)
    assert not km.is_alive()
    assert km.provisioner.process.returncode == 0 if km.provisioner and km.provisioner.process else True
    kc.stop_channels()
    km.cleanup_resources()


def test_completion_offsets_count_code_points(kernel):
    km, kc = kernel
    code = 'let s = "🙂🙂"; zer'
    kc.complete(code, len(code))
    r = kc.get_shell_msg(timeout=5)
    assert "zeros" in r["content"]["matches"]
    assert r["content"]["cursor_end"] == len(code)           # Python len counts code points
    assert r["content"]["cursor_start"] == len(code) - 3


def test_error_has_one_output_and_points_at_the_source(kernel):
    km, kc = kernel
    r, msgs = run(kc, "let x = randn(1, 1, 28, 28)\nlet c = Conv2d(3, 8, kernel: 3)\nlet y = c(x)")
    outs = [m for m in msgs if m["msg_type"] not in ("status", "execute_input")]
    assert [m["msg_type"] for m in outs] == ["error"]
    assert r["content"]["ename"] == "ShapeError"
    assert r["content"]["evalue"] == "Conv2d expected 3 input channels, got 1 (input [1, 1, 28, 28])"
    tb = "\n".join(outs[0]["content"]["traceback"])
    assert "line 3, column 9" in tb and "^^^^" in tb


def test_progress_updates_one_display(kernel):
    km, kc = kernel
    r, msgs = run(kc, "var s = 0\nfor i in progress(0..<30) { s += i; let t0 = clock(); while clock() - t0 < 0.01 { } }")
    disp = [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
    assert disp[0]["msg_type"] == "display_data"
    ids = {m["content"]["transient"]["display_id"] for m in disp}
    assert len(ids) == 1 and len(disp) >= 2
    assert all(m["msg_type"] == "update_display_data" for m in disp[1:])


def test_plot_with_id_updates_in_place(kernel):
    km, kc = kernel
    r, msgs = run(kc, 'plot([1, 2], id: "loss")\nplot([1, 2, 3], id: "loss")')
    disp = [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
    assert [m["msg_type"] for m in disp] == ["display_data", "update_display_data"]


def test_sigint_while_idle_is_harmless(kernel):
    km, kc = kernel
    import signal
    km.signal_kernel(signal.SIGINT)
    time.sleep(0.2)
    r, _ = run(kc, "1 + 1")
    assert r["content"]["status"] == "ok"


def test_runaway_output_is_cut_with_a_note(kernel):
    km, kc = kernel
    r, msgs = run(kc, 'for i in 0..<200000 { print("line \\(i) of a runaway loop") }', timeout=60)
    streams = [m for m in msgs if m["msg_type"] == "stream"]
    total = sum(len(m["content"]["text"].encode()) for m in streams)
    assert total < 1.2 * 1024 * 1024
    assert len(streams) < 1000
    assert "output truncated" in streams[-1]["content"]["text"]
    r2, _ = run(kc, "1 + 1")
    assert r2["content"]["status"] == "ok"


def test_ipc_transport():
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc")
    km.start_kernel()
    kc = km.client(); kc.start_channels()
    try:
        kc.wait_for_ready(timeout=20)
        r, _ = run(kc, "2 * 21")
        assert r["content"]["status"] == "ok"
    finally:
        kc.stop_channels(); km.shutdown_kernel(now=True)


def test_sigint_interrupts_a_running_cell(kernel):
    km, kc = kernel
    import signal
    run(kc, "let keep = 5")
    msg_id = kc.execute("while true { }")
    time.sleep(0.4)
    km.signal_kernel(signal.SIGINT)
    reply = kc.get_shell_msg(timeout=5)
    assert reply["content"]["ename"] == "Interrupted"
    collect(kc, msg_id)
    r, msgs = run(kc, "keep")
    assert [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"] == "5"


def test_sigterm_shuts_down_cleanly():
    import signal
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        km.signal_kernel(signal.SIGTERM)
        deadline = time.time() + 5
        while km.is_alive() and time.time() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
        assert km.provisioner.process.wait(timeout=5) == 0
    finally:
        kc.stop_channels()
        km.cleanup_resources()


def test_user_layer_completion_inspection_and_traceback(kernel):
    km, kc = kernel
    r, _ = run(kc, "layer Block(c, scale: 2) {\n    /// Doubles a convolution.\n    let conv1 = Conv2d(c, c, kernel: 3)\n"
                   "    var gain = parameter(ones(1))\n    func forward(x) { return conv1(x) * scale + undefined_name }\n}\n"
                   "let b = Block(2)")
    assert r["content"]["status"] == "ok"
    code = "b."
    kc.complete(code, len(code))
    matches = kc.get_shell_msg(timeout=5)["content"]["matches"]
    assert {"conv1", "gain", "forward", "train", "parameters"} <= set(matches)
    kc.inspect("Block", 3)
    data = kc.get_shell_msg(timeout=5)["content"]["data"]["text/plain"]
    assert "layer Block(c, scale: 2)" in data and "Doubles a convolution." in data
    r, msgs = run(kc, "let x = randn(1, 2, 5, 5)\nb(x)")
    assert r["content"]["ename"] == "NameError"
    tb = "\n".join(line for m in msgs if m["msg_type"] == "error" for line in m["content"]["traceback"])
    assert "line 5" in tb and "in Block.forward, called at cell" in tb and "line 2" in tb


HUGE = "x" * (10 * 1024 * 1024)
HOSTILE = [
    # (msg_type, content): wrong types, missing fields, huge strings, out-of-range numbers
    ("execute_request", {}),
    ("execute_request", {"code": None}),
    ("execute_request", {"code": ["1"], "silent": 3}),
    ("execute_request", {"code": "1", "user_expressions": [1, 2]}),
    ("execute_request", {"code": "1", "user_expressions": {"a": 5, "b": HUGE[:1000]}}),
    ("execute_request", {"code": HUGE}),
    ("execute_request", {"code": "(" * 100000}),
    ("execute_request", {"code": "\"" + "\\(" * 5000}),
    ("complete_request", {"code": "zer", "cursor_pos": -5}),
    ("complete_request", {"code": "zer", "cursor_pos": 10 ** 12}),
    ("complete_request", {"code": 5, "cursor_pos": "a"}),
    ("complete_request", {"code": HUGE, "cursor_pos": len(HUGE)}),
    ("complete_request", {"code": "randn(2, 3).", "cursor_pos": 2 ** 62}),
    ("inspect_request", {"code": "conv2d", "cursor_pos": 3, "detail_level": 99}),
    ("inspect_request", {"code": "conv2d", "cursor_pos": -1, "detail_level": -7}),
    ("inspect_request", {"code": HUGE, "cursor_pos": 5}),
    ("inspect_request", {}),
    ("is_complete_request", {"code": None}),
    ("is_complete_request", {"code": "{" * 100000}),
    ("history_request", {"hist_access_type": "tail", "n": -1}),
    ("history_request", {"hist_access_type": "range", "session": -10 ** 15, "start": -5, "stop": -9}),
    ("history_request", {"hist_access_type": "search", "pattern": "[" * 1000, "n": 10 ** 15}),
    ("history_request", {"hist_access_type": 3}),
    ("shutdown_request", {"restart": "maybe"}),
    ("comm_info_request", {"target_name": HUGE[:100]}),
    ("kernel_info_request", {"extra": [1, 2, 3]}),
    ("made_up_request", {"x": 1}),
    ("made_up_event", {}),
    ("execute_request", [1, 2, 3]),   # valid signature, content not an object
    ("complete_request", "text"),
]


def test_hostile_requests_get_replies_or_drops_never_a_crash_or_hang(kernel):
    km, kc = kernel
    s, key = _raw_shell(km)
    replies = 0
    for msg_type, content in HOSTILE:
        s.send_multipart(_frames(key, msg_type, content))
        expect_reply = msg_type.endswith("_request") and isinstance(content, dict) and msg_type != "shutdown_request"
        if expect_reply or msg_type == "shutdown_request":
            assert s.poll(60_000), f"no reply to {msg_type} {str(content)[:80]}"
            reply = s.recv_multipart()
            header = json.loads(reply[reply.index(b"<IDS|MSG>") + 2])
            assert header["msg_type"] == msg_type.replace("_request", "_reply")
            replies += 1
        if msg_type == "shutdown_request":
            break  # a shutdown with a wrong-typed field is refused with an error reply, so the kernel lives on
    assert km.is_alive()
    r, _ = run(kc, "let survived = 1 + 1\nsurvived")
    assert r["content"]["status"] == "ok"
    # the rest of the list, after the shutdown request
    rest = HOSTILE[[m for m, _ in HOSTILE].index("shutdown_request") + 1:]
    for msg_type, content in rest:
        s.send_multipart(_frames(key, msg_type, content))
        if msg_type.endswith("_request") and isinstance(content, dict):
            assert s.poll(30_000), f"no reply to {msg_type}"
            s.recv_multipart()
    time.sleep(0.5)
    assert km.is_alive()
    r, _ = run(kc, "survived + 1")
    assert r["content"]["status"] == "ok"
    s.close()
