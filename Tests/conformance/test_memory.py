"""No leaks across cells: 10,000 cells that each rebind a 1 MB tensor leave the kernel's resident memory within
50 MB of where it started (after a warm-up that fills the buffer pool and the caches)."""
import queue
from jupyter_client.manager import start_new_kernel
from conftest import KERNEL_NAME


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def drain(kc):
    while True:
        try:
            kc.get_iopub_msg(timeout=0)
        except queue.Empty:
            return


def run_cells(kc, n, code):
    for i in range(n):
        msg_id = kc.execute(code, store_history=True)
        reply = kc.get_shell_msg(timeout=60)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "ok", reply["content"]
        if i % 200 == 0:
            drain(kc)
    drain(kc)


def test_ten_thousand_cells_rebinding_a_megabyte_do_not_grow_memory():
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        pid = km.provisioner.process.pid
        code = "let t = ones(512, 512) * 2\nlet s = t.sum()"  # 1 MB of Float32 (twice, briefly) and a small result
        run_cells(kc, 200, code)
        before = rss_mb(pid)
        run_cells(kc, 10_000, code)
        after = rss_mb(pid)
        assert after - before < 50, f"resident memory grew from {before:.0f} MB to {after:.0f} MB over 10,000 cells"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
