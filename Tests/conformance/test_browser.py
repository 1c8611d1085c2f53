"""JupyterLab in a real browser: headless Chromium (Debian's package) driven by Playwright opens
notebooks/05-looking-inside.ipynb, runs all cells, and checks that the activation-map images render
and no cell shows an error. The screenshot goes to .build/screenshots/ (docs/ holds the README's copy)."""
import os, pathlib, shutil, socket, subprocess, sys, time, urllib.request
from playwright.sync_api import sync_playwright
from conftest import scratch

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def test_looking_inside_renders_activation_maps_in_jupyterlab():
    port, token = free_port(), "stride-browser-test"
    work = pathlib.Path(scratch(prefix="stride-lab-"))
    shutil.copy(ROOT / "notebooks" / "05-looking-inside.ipynb", work / "05-looking-inside.ipynb")
    jupyter = pathlib.Path(sys.executable).parent / "jupyter"
    lab = subprocess.Popen([str(jupyter), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
                            f"--IdentityProvider.token={token}", f"--notebook-dir={work}", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2); break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/05-looking-inside.ipynb?token={token}", timeout=90_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Toolbar-kernelStatus", timeout=60_000)
            time.sleep(2)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_text("Run All Cells", exact=True).click()
            # every code cell gets an execution count; images arrive from show(...)
            page.wait_for_function("""() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""", timeout=180_000)
            page.wait_for_function("() => document.querySelectorAll('.jp-OutputArea-output img').length >= 8", timeout=60_000)
            sizes = page.eval_on_selector_all(".jp-OutputArea-output img", "els => els.map(e => [e.complete, e.naturalWidth])")
            assert all(done and w > 0 for done, w in sizes), sizes
            captions = page.eval_on_selector_all(".jp-OutputArea-output figcaption", "els => els.map(e => e.textContent)")
            assert any("Conv2d" in c for c in captions) and any("MaxPool2d" in c for c in captions), captions
            errors = page.query_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert not errors, [e.inner_text()[:300] for e in errors]
            # scroll the activation maps into view for the screenshot
            page.eval_on_selector_all(".stride-activations", "els => els.length && els[0].scrollIntoView()")
            shots = ROOT / ".build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "looking-inside.png"))
            browser.close()
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
