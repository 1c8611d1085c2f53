"""`make lab LAB_ARGS="--no-browser --port P"` brings up JupyterLab whose kernelspec list includes
stride (checked through the server's REST API), then is stopped."""
import json, os, pathlib, signal, socket, subprocess, time, urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def test_make_lab_serves_the_stride_kernelspec():
    port = free_port()
    token = "stride-test-token"
    args = f"--no-browser --port {port} --ip 127.0.0.1 --IdentityProvider.token={token} --ServerApp.open_browser=False"
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True)
    try:
        deadline = time.time() + 600
        specs = None
        while time.time() < deadline:
            if proc.poll() is not None:
                raise AssertionError("make lab exited early:\n" + proc.stdout.read()[-3000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=2) as r:
                    specs = json.load(r)
                    break
            except OSError:
                time.sleep(1)
        assert specs is not None, "JupyterLab did not come up"
        assert "stride" in specs["kernelspecs"]
        spec = specs["kernelspecs"]["stride"]["spec"]
        assert spec["display_name"] == "Stride (CNN)" and spec["language"] == "stride"
        assert spec["interrupt_mode"] == "message" and os.path.isabs(spec["argv"][0])
        # `stride` on the venv's PATH (the README's `stride run file.stride`), and no news pop-up
        venv = ROOT / ".venv"
        assert os.access(venv / "bin" / "stride", os.X_OK)
        overrides = json.loads((venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
        assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}", timeout=5) as r:
            # overrides become the schema's defaults (JupyterLab's own default is "none": ask)
            assert json.load(r)["schema"]["properties"]["fetchNews"]["default"] == "false"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
