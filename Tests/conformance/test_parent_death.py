"""The kernel exits when the process that started it dies, even by `kill -9` (as ipykernel's parent poller
does), and not while that process lives."""
import os, pathlib, signal, subprocess, sys, time
from conftest import KERNEL_NAME, STRIDE_BIN, scratch

LAUNCHER = """
import sys, time
from jupyter_client import KernelManager
km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel()
print(km.provisioner.process.pid, flush=True)
time.sleep(600)
"""


def gone(pid):
    """True when pid has exited (a zombie nobody reaped yet counts as exited)."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if gone(pid):
            return True
        time.sleep(0.1)
    return False


def test_kernel_exits_when_its_front_end_is_killed():
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, KERNEL_NAME], stdout=subprocess.PIPE, text=True)
    kernel_pid = None
    try:
        kernel_pid = int(launcher.stdout.readline())
        time.sleep(1.5)
        assert not gone(kernel_pid), "the kernel exited while its front end was alive"
        launcher.send_signal(signal.SIGKILL)
        launcher.wait(timeout=10)
        assert wait_gone(kernel_pid, 20), "the kernel outlived its front end by 20 s"
    finally:
        if launcher.poll() is None:
            launcher.kill()
        if kernel_pid and not gone(kernel_pid):
            os.kill(kernel_pid, signal.SIGKILL)


def test_kernel_watches_jpy_parent_pid():
    d = pathlib.Path(scratch())
    (d / "conn.json").write_text('{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 0, "iopub_port": 0, '
                                 '"stdin_port": 0, "control_port": 0, "hb_port": 0, "key": "k", '
                                 '"signature_scheme": "hmac-sha256"}')
    sleeper = subprocess.Popen(["sleep", "600"])
    env = {**os.environ, "JPY_PARENT_PID": str(sleeper.pid)}
    kernel = subprocess.Popen([STRIDE_BIN, "kernel", "-f", str(d / "conn.json")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        assert kernel.poll() is None, "the kernel exited while JPY_PARENT_PID's process was alive"
        sleeper.kill()
        sleeper.wait()
        assert kernel.wait(timeout=20) == 0
    finally:
        for p in (sleeper, kernel):
            if p.poll() is None:
                p.kill()
