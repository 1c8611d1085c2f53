"""Signals with the optimised (release) binary, which is what `make lab` installs: SIGTERM exits 0 at
once (even right after the sockets bind) and SIGINT while idle is harmless. An optimised build once
freed its signal sources early and ignored SIGTERM; the debug-built protocol tests could not see that."""
import json, pathlib, signal, socket, subprocess, time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def start(binary, tmp, i):
    ports = [free_port() for _ in range(5)]
    cf = pathlib.Path(tmp) / f"conn{i}.json"
    cf.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1", "shell_port": ports[0], "iopub_port": ports[1], "stdin_port": ports[2],
                              "control_port": ports[3], "hb_port": ports[4], "key": "k", "signature_scheme": "hmac-sha256"}))
    p = subprocess.Popen([str(binary), "kernel", "-f", str(cf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", ports[0])); s.close(); return p
        except OSError:
            s.close(); time.sleep(0.001)
    p.kill()
    raise AssertionError("the kernel did not bind its shell port")


def test_release_kernel_obeys_sigterm_and_survives_idle_sigint(tmp_path):
    subprocess.run(["swift", "build", "-c", "release", "--product", "stride"], cwd=ROOT, check=True, capture_output=True, timeout=1200)
    binary = ROOT / ".build" / "release" / "stride"
    for i in range(8):
        p = start(binary, tmp_path, i)
        if i % 2:
            p.send_signal(signal.SIGINT)        # idle: harmless
            time.sleep(0.2)
            assert p.poll() is None
        p.terminate()
        assert p.wait(timeout=5) == 0
