"""Interrupt ends every kind of long work, in the debug and the release kernel: the cell ends with
`Interrupted`, bindings made before it (earlier cells and earlier lines of the same cell) stay, and the next
cell runs normally. Bounds here are generous (a debug build on a loaded 2-core machine); the tight figure,
the time from the interrupt to the reply for each kind of work, is `stride bench`'s interrupt section."""
import time
import pytest
from jupyter_client.manager import start_new_kernel
from conftest import KERNEL_NAME, RELEASE_KERNEL_NAME, release_binary

# (kind, set-up cell, long cell): each long cell runs for minutes if nothing stops it
KINDS = [
    ("random generation", "", "for i in 0..<1000 { let r = randn(8000, 8000) }"),
    ("tensor creation", "", "for i in 0..<1000 { let z = full([8000, 8000], 0.5) }"),
    ("elementwise", "let h = rand(2000, 2000) + 0.5",
     "for i in 0..<100000 { let e = ((h * 2 + 1).exp() - h).sqrt().abs().log() }"),
    ("broadcasting", "let h = rand(2000, 2000)\nlet row = rand(1, 2000)", "for i in 0..<100000 { let e = h * row + row }"),
    ("reductions", "let h = rand(2000, 2000)", "for i in 0..<100000 { let s = h.std() }"),
    ("matrix products", "let m = randn(1500, 1500)", "for i in 0..<100000 { let p = m @ m }"),
    ("convolution", "let x = randn(16, 32, 32, 32)\nlet w = randn(32, 32, 3, 3)",
     "for i in 0..<100000 { let y = conv2d(x, w, nil, padding: 1) }"),
    ("pooling", "let x = randn(32, 64, 64, 64)", "for i in 0..<100000 { let y = max_pool2d(x, 2) }"),
    ("backward", "let a = randn(256, 64, 16, 16, requires_grad: true)",
     "for i in 0..<100000 { backward((relu(a * 2 + 1) * a).sum()) }"),
    ("rendering", "let maps = randn(16, 512, 512)", "for i in 0..<100000 { show(maps) }"),
    ("file writing", "let big = randn(2000, 2000)\nlet path = tempdir() + \"/big.npy\"",
     "for i in 0..<100000 { save(big, path) }"),
    ("training loop",
     "let model = LeNet5()\nlet opt = SGD(model, lr: 0.01)\nlet xb = randn(64, 1, 32, 32)\n"
     "let yb = arange(64) % 10",
     "for i in 0..<100000 { opt.zero_grad()\n  let loss = cross_entropy(model(xb), yb)\n  backward(loss)\n  opt.step() }"),
]


def execute(kc, code, timeout=120):
    """Runs one cell; returns its execute_reply content and its text result (None when it has none)."""
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"]["msg_id"] == msg_id:
            break
    result = None
    while True:  # the kernel publishes everything of a cell before its reply; idle comes last
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            result = m["content"]["data"]["text/plain"]
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return reply["content"], result


def wait_started(kc, msg_id, timeout=30):
    """Waits for the cell's execute_input on iopub: the kernel has taken it and is running it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            return
    raise AssertionError("the cell never started")


@pytest.fixture(scope="module", params=["debug", "release"])
def kernel(request):
    name = KERNEL_NAME
    if request.param == "release":
        release_binary()
        name = RELEASE_KERNEL_NAME
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.mark.parametrize("kind,setup,work", KINDS, ids=[k[0] for k in KINDS])
def test_interrupt_ends_the_work_and_keeps_bindings(kernel, kind, setup, work):
    km, kc = kernel
    if setup:
        assert execute(kc, setup)[0]["status"] == "ok"
    msg_id = kc.execute("let before = 41\n" + work)
    wait_started(kc, msg_id)
    time.sleep(0.5)
    t0 = time.time()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=60)
    elapsed = time.time() - t0
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error", f"{kind}: the cell was not interrupted"
    assert reply["content"]["ename"] == "Interrupted"
    assert elapsed < 10, f"{kind}: the reply came {elapsed:.1f} s after the interrupt"
    # the binding made before the interrupted line stays, and the next cell runs normally
    follow, result = execute(kc, "before + 1")
    assert follow["status"] == "ok"
    assert result == "42"
