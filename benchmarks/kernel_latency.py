"""Kernel latency: launch → kernel_info_reply, `1 + 1` round trip (request → idle), interrupt
latency — Stride against ipykernel in the same run, with ratios. Usage:
    .venv/bin/python benchmarks/kernel_latency.py [--stride PATH] [--rounds N]"""
import argparse, json, os, statistics, sys, tempfile, time, pathlib
from queue import Empty
from jupyter_client.manager import KernelManager

ROOT = pathlib.Path(__file__).resolve().parents[1]


def spec_dir(stride_bin):
    d = pathlib.Path(tempfile.mkdtemp(prefix="stride-bench-spec-")) / "kernels" / "stride-bench"
    d.mkdir(parents=True)
    (d / "kernel.json").write_text(json.dumps({"argv": [stride_bin, "kernel", "-f", "{connection_file}"],
                                                "display_name": "Stride", "language": "stride", "interrupt_mode": "message"}))
    return str(d.parent.parent)


def wait_idle(kc, msg_id, timeout=30):
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return


def measure(name, busy_code, rounds):
    out = {}
    starts = []
    for _ in range(5):
        # launch → first kernel_info_reply (not wait_for_ready, which adds a fixed 0.2 s iopub flush)
        t0 = time.perf_counter()
        km = KernelManager(kernel_name=name)
        km.start_kernel()
        kc = km.client(); kc.start_channels()
        while True:
            kc.kernel_info()
            try:
                if kc.get_shell_msg(timeout=0.05)["msg_type"] == "kernel_info_reply":
                    break
            except Empty:
                pass
        starts.append(time.perf_counter() - t0)
        kc.stop_channels(); km.shutdown_kernel(now=True)
    out["startup"] = statistics.median(starts)
    km = KernelManager(kernel_name=name); km.start_kernel()
    kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
    for _ in range(5):
        wait_idle(kc, kc.execute("1 + 1"))
    rts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        wait_idle(kc, kc.execute("1 + 1"))
        rts.append(time.perf_counter() - t0)
    out["round trip 1 + 1"] = statistics.median(rts)
    ints = []
    for _ in range(5):
        mid = kc.execute(busy_code)
        time.sleep(0.3)
        t0 = time.perf_counter()
        km.interrupt_kernel()
        kc.get_shell_msg(timeout=30)
        ints.append(time.perf_counter() - t0)
        wait_idle(kc, mid)
    out["interrupt"] = statistics.median(ints)
    kc.stop_channels(); km.shutdown_kernel(now=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stride", default=str(ROOT / ".build" / "release" / "stride"))
    ap.add_argument("--rounds", type=int, default=200)
    a = ap.parse_args()
    os.environ["JUPYTER_PATH"] = spec_dir(a.stride) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    s = measure("stride-bench", "while true { }", a.rounds)
    try:
        p = measure("python3", "while True: pass", a.rounds)
    except Exception as e:
        print(f"(no ipykernel reference: {e})"); p = {}
    print(f"{'case':<20} {'stride ms':>10} {'ipykernel ms':>13} {'ratio':>7}")
    for k, v in s.items():
        r = p.get(k)
        print(f"{k:<20} {v * 1000:>10.2f} {(r * 1000 if r else float('nan')):>13.2f} {(v / r if r else float('nan')):>7.2f}")
    print("(ratio = stride / ipykernel; goals: start-up ≤ 0.33, round trip ≤ 0.5, interrupt < 100 ms)")


if __name__ == "__main__":
    main()
