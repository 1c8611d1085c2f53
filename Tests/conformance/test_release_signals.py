"""Signals with the optimised (release) binary, which is what `make lab` installs: SIGTERM exits 0 at
once (even right after the sockets bind) and SIGINT while idle is harmless. An optimised build once
freed its signal sources early and ignored SIGTERM; the debug-built protocol tests could not see that.
Later, Dispatch's asynchronous signal registration lost a SIGTERM sent right after start-up (1 run in ~50
on a loaded CI machine), so the kernel is started and stopped many times here."""
import json, pathlib, signal, socket, subprocess, time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_ports(n):
    """n distinct free ports (all held open while choosing, so none repeats)."""
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def start(binary, tmp, i):
    ports = free_ports(5)
    cf = pathlib.Path(tmp) / f"conn{i}.json"
    cf.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1", "shell_port": ports[0], "iopub_port": ports[1], "stdin_port": ports[2],
                              "control_port": ports[3], "hb_port": ports[4], "key": "k", "signature_scheme": "hmac-sha256"}))
    err = open(pathlib.Path(tmp) / f"stderr{i}.txt", "w+")
    p = subprocess.Popen([str(binary), "kernel", "-f", str(cf)], stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.time() + 10
    while time.time() < deadline:
        if p.poll() is not None:
            err.seek(0)
            raise AssertionError(f"run {i}: the kernel exited with {p.returncode} before binding: {err.read()}")
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", ports[0])); s.close(); return p
        except OSError:
            s.close(); time.sleep(0.001)
    p.kill()
    raise AssertionError(f"run {i}: the kernel did not bind its shell port in 10 s")


def test_release_kernel_obeys_sigterm_and_survives_idle_sigint(tmp_path):
    # the Makefile's RELEASE_FLAGS (the same flags everywhere, so this reuses the notebooks' build)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "stride"], cwd=ROOT, check=True, capture_output=True, timeout=1200)
    binary = ROOT / ".build" / "release" / "stride"
    for i in range(150):
        p = start(binary, tmp_path, i)
        if i % 3 == 1:
            p.send_signal(signal.SIGINT)        # idle: harmless
            time.sleep(0.1)
            assert p.poll() is None, f"run {i}: an idle SIGINT stopped the kernel"
        elif i % 3 == 2:
            p.send_signal(signal.SIGINT)        # and straight after it, SIGTERM
        p.terminate()
        assert p.wait(timeout=5) == 0, f"run {i}: SIGTERM did not exit 0"
