"""Shared set-up: a kernelspec `stride-test` pointing at the freshly built binary
($STRIDE_BIN, default .build/debug/stride), placed first on JUPYTER_PATH."""
import atexit, json, os, pathlib, shutil, subprocess, tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
STRIDE_BIN = os.environ.get("STRIDE_BIN") or str(ROOT / ".build" / "debug" / "stride")
if not os.path.exists(STRIDE_BIN):
    raise RuntimeError(f"stride binary not found at {STRIDE_BIN}; run `swift build` first")

_spec_root = pathlib.Path(tempfile.mkdtemp(prefix="stride-kernelspec-"))
atexit.register(shutil.rmtree, _spec_root, ignore_errors=True)
# `stride-test` for the tests; `stride` too, so notebooks opened by the browser test use this binary
# `stride-release-test`: the optimised binary (built by `release_binary()` before a test uses it)
RELEASE_BIN = str(ROOT / ".build" / "release" / "stride")
for _name, _bin in (("stride-test", STRIDE_BIN), ("stride", STRIDE_BIN), ("stride-release-test", RELEASE_BIN)):
    _spec = _spec_root / "kernels" / _name
    _spec.mkdir(parents=True)
    (_spec / "kernel.json").write_text(json.dumps({
        "argv": [_bin, "kernel", "-f", "{connection_file}"],
        "display_name": "Stride (CNN)", "language": "stride", "interrupt_mode": "message",
    }))
os.environ["JUPYTER_PATH"] = str(_spec_root) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
KERNEL_NAME = "stride-test"
RELEASE_KERNEL_NAME = "stride-release-test"


def release_binary():
    """Builds (or finds up to date) the release binary with the flags every release build uses; returns its path."""
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "stride"], cwd=ROOT,
                   check=True, capture_output=True, timeout=1800)
    return pathlib.Path(RELEASE_BIN)


def scratch(prefix="stride-test-"):
    """A temporary directory removed when the test run ends (tests leave nothing in /tmp)."""
    d = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, d, ignore_errors=True)
    return d
