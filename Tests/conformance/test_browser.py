"""JupyterLab in a real browser: headless Chromium (Debian's package) driven by Playwright. Notebook 05's
activation maps render; `explore` answers a hover with the kernel's value and the receptive field; `conv_demo`
steps to the lecture's numbers. Screenshots go to .build/screenshots/ (docs/ holds the README's copies)."""
import contextlib, json, os, pathlib, re, shutil, socket, subprocess, sys, time, urllib.request
from playwright.sync_api import sync_playwright
from conftest import scratch

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


@contextlib.contextmanager
def jupyterlab(notebook):
    """JupyterLab on a scratch copy of `notebook`, a headless Chromium page on it; yields the page."""
    port, token = free_port(), "stride-browser-test"
    work = pathlib.Path(scratch(prefix="stride-lab-"))
    shutil.copy(notebook, work / notebook.name)
    jupyter = pathlib.Path(sys.executable).parent / "jupyter"
    lab = subprocess.Popen([str(jupyter), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
                            f"--IdentityProvider.token={token}", f"--notebook-dir={work}", "--LabApp.news_url=",
                            "--ServerApp.open_browser=False"],
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
            page.goto(f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?token={token}", timeout=90_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Toolbar-kernelStatus",
                                   timeout=60_000)
            time.sleep(2)
            yield page
            browser.close()
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()


def run_all(page):
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    # every code cell gets an execution count
    page.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
        return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
    }""", timeout=180_000)


def no_errors(page):
    errors = page.query_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert not errors, [e.inner_text()[:300] for e in errors]


def screenshot(page, name):
    shots = ROOT / ".build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / name))


def test_looking_inside_renders_activation_maps_in_jupyterlab():
    with jupyterlab(ROOT / "notebooks" / "05-looking-inside.ipynb") as page:
        run_all(page)
        page.wait_for_function("() => document.querySelectorAll('.jp-OutputArea-output img').length >= 8", timeout=60_000)
        sizes = page.eval_on_selector_all(".jp-OutputArea-output img", "els => els.map(e => [e.complete, e.naturalWidth])")
        assert all(done and w > 0 for done, w in sizes), sizes
        captions = page.eval_on_selector_all(".jp-OutputArea-output figcaption", "els => els.map(e => e.textContent)")
        assert any("Conv2d" in c for c in captions) and any("MaxPool2d" in c for c in captions), captions
        no_errors(page)
        # scroll the activation maps into view for the screenshot
        page.eval_on_selector_all(".stride-activations", "els => els.length && els[0].scrollIntoView()")
        screenshot(page, "looking-inside.png")


EXPLORE_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "explore", "source":
         "seed(0)\nlet m = Sequential(Conv2d(1, 4, kernel: 3, stride: 2, padding: 1), ReLU(), MaxPool2d(2), "
         "Flatten(), Linear(64, 10))\nlet x = randn(1, 1, 16, 16)\nexplore(m, x)"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "value",
         "source": "print(\"kernel value:\", m[0](x)[0, 2, 3, 5].item())"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "demo",
         "source": "conv_demo()"},
    ],
    "metadata": {"kernelspec": {"name": "stride", "display_name": "Stride", "language": "stride"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def hover_cell(page, section, map_index, y, x):
    """Moves the mouse to the centre of cell (y, x) of one map in the explorer."""
    box = page.locator(f"canvas.stride-explore-map[data-section='{section}'][data-map='{map_index}']").bounding_box()
    size = page.eval_on_selector(f"canvas.stride-explore-map[data-section='{section}'][data-map='{map_index}']",
                                 "c => [c.width, c.height]")
    page.mouse.move(box["x"] + (x + 0.5) * box["width"] / size[0], box["y"] + (y + 0.5) * box["height"] / size[1])


def test_explore_and_conv_demo_are_interactive_in_jupyterlab():
    nb = pathlib.Path(scratch(prefix="stride-nb-")) / "explore.ipynb"
    nb.write_text(json.dumps(EXPLORE_NOTEBOOK))
    with jupyterlab(nb) as page:
        run_all(page)
        no_errors(page)
        page.wait_for_selector("canvas.stride-explore-map", timeout=60_000)
        # the script ran: the fallback picture is hidden, one row per layer and the input
        assert page.eval_on_selector(".stride-explore-fallback", "e => getComputedStyle(e).display") == "none"
        captions = page.eval_on_selector_all(".stride-explore-caption", "els => els.map(e => e.textContent)")
        assert len(captions) == 6 and "0 Conv2d \u2014 [1, 4, 8, 8]" in captions[1], captions
        # hover: the value shown is the kernel's value of that activation
        page.locator(".stride-explore-map[data-section='1'][data-map='2']").scroll_into_view_if_needed()
        hover_cell(page, 1, 2, 3, 5)
        info = page.locator(".stride-explore-info")
        shown = float(info.get_attribute("data-value"))
        assert info.get_attribute("data-position") == "0,2,3,5"
        printed = page.locator(".jp-OutputArea-output", has_text="kernel value:").inner_text()
        kernel = float(printed.split("kernel value:")[1].split()[0])
        assert abs(shown - kernel) <= 1e-5 * max(1.0, abs(kernel)), (shown, kernel)
        text = info.inner_text()
        assert "0[0, 2, 3, 5] = " in text and "receptive field: input rows 5\u20137, cols 9\u201311" in text, text
        # a pooled cell reads a wider field: pool 2 after a stride-2 3×3 convolution
        hover_cell(page, 3, 0, 1, 1)
        text = info.inner_text()
        assert "receptive field: input rows 3\u20137, cols 3\u20137" in text, text
        outlined = page.eval_on_selector_all(".stride-explore-map + div", "els => els.filter(e => e.style.display === 'block').length")
        # the cell, then map by map what it reads: pooling and ReLU read their own channel, the convolution's
        # channel 0 reads the input
        assert outlined == 1 + 1 + 1 + 1, outlined
        assert outlines(page, 2) == [[2, 3, 2, 3], None, None, None]
        assert outlines(page, 1) == [[2, 3, 2, 3], None, None, None]
        # a click enlarges a map
        page.locator(".stride-explore-map[data-section='1'][data-map='0']").click()
        assert page.locator(".stride-explore-zoomed").is_visible()
        page.locator(".stride-explore-zoom button").click()
        assert not page.locator(".stride-explore-zoomed").is_visible()
        page.eval_on_selector(".stride-explore", "e => e.scrollIntoView()")
        hover_cell(page, 3, 1, 2, 1)
        assert info.get_attribute("data-position") == "0,1,2,1"
        screenshot(page, "explore.png")

        # the lecture's demo: step through all 18 output cells back to o[0, 0, 0] = −3
        demo = page.locator(".stride-conv-demo")
        demo.scroll_into_view_if_needed()
        arith = page.locator(".stride-conv-arith")
        assert arith.get_attribute("data-cell") == "0,0,0"
        for _ in range(5):
            page.locator(".stride-conv-next").click()
        assert arith.get_attribute("data-cell") == "0,1,2"
        for _ in range(13):
            page.locator(".stride-conv-next").click()
        assert arith.get_attribute("data-cell") == "0,0,0"
        assert float(arith.get_attribute("data-value")) == -3
        text = arith.inner_text()
        assert text.startswith("x[:, :, 0] \u2299 w0[:, :, 0]: 0\u00b7(\u22121) + 0\u00b70 + 0\u00b7(\u22121) + 0\u00b71"), text
        assert text.rstrip().endswith("+ 1 = \u22123"), text
        outputs = page.eval_on_selector_all("table.stride-conv-o td", "els => els.map(e => e.textContent)")
        assert outputs == ["\u22123", "\u22121", "0", "\u22121", "\u22128", "2", "3", "0", "3",
                           "1", "4", "2", "\u22121", "4", "5", "3", "1", "3"], outputs
        page.locator(".stride-conv-next").click()
        demo.scroll_into_view_if_needed()
        screenshot(page, "conv-demo.png")


def test_explore_works_in_nbconvert_html_export():
    """The notebook executed and exported by nbconvert: the explorer's script runs from the static HTML file
    (no kernel, no network) and a hover shows the value the kernel printed."""
    d = pathlib.Path(scratch(prefix="stride-nbconvert-"))
    nb = dict(EXPLORE_NOTEBOOK, cells=EXPLORE_NOTEBOOK["cells"][:2])
    (d / "explore.ipynb").write_text(json.dumps(nb))
    jupyter = pathlib.Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", "--execute", str(d / "explore.ipynb")],
                   check=True, capture_output=True, timeout=300)
    html = (d / "explore.html").read_text()
    kernel = float(html.split("kernel value: ")[1].split()[0])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # nothing may be fetched from the network: abort any request that is not the file itself
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto((d / "explore.html").as_uri())
        page.wait_for_selector("canvas.stride-explore-map", timeout=30_000)
        page.locator(".stride-explore-map[data-section='1'][data-map='2']").scroll_into_view_if_needed()
        hover_cell(page, 1, 2, 3, 5)
        shown = float(page.locator(".stride-explore-info").get_attribute("data-value"))
        assert abs(shown - kernel) <= 1e-5 * max(1.0, abs(kernel)), (shown, kernel)
        browser.close()


USER_LAYERS = """seed(1)
layer NoPool(c) {
    let conv = Conv2d(c, c, kernel: 3, padding: 1)
    func forward(x) { return relu(conv(x)) }
}
layer Cat(c) {
    let a = Conv2d(c, 2, kernel: 3, padding: 1)
    let b = Conv2d(c, 2, kernel: 5, padding: 2)
    func forward(x) { return concat([a(x), b(x)], dim: 1) }
}
let m = Sequential(Conv2d(1, 4, kernel: 3, padding: 1), NoPool(4), NoPool(4), Cat(4))
let x = randn(1, 1, 16, 16)
explore(m, x)"""


def explorer_page(cells):
    """Runs `cells` in a fresh kernel; returns the explorer's HTML (the last cell's display) and the text results of
    the others."""
    from jupyter_client.manager import start_new_kernel
    from conftest import KERNEL_NAME
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        html, results = None, []
        for code in cells:
            msg_id = kc.execute(code)
            result = None
            while True:
                m = kc.get_iopub_msg(timeout=120)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                if m["msg_type"] == "display_data" and "text/html" in m["content"]["data"]:
                    html = m["content"]["data"]["text/html"]
                if m["msg_type"] == "execute_result":
                    result = m["content"]["data"]["text/plain"]
                if m["msg_type"] == "error":
                    raise AssertionError("\n".join(m["content"]["traceback"]))
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    break
            results.append(result)
        return html, results
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def outlines(page, section):
    """The outlined cells of each map of a section: [top, bottom, left, right] or None, by map."""
    return page.eval_on_selector_all(
        f"canvas.stride-explore-map[data-section='{section}']",
        """els => els.map(c => {
            const hl = c.nextElementSibling, s = c.getBoundingClientRect().width / c.width;
            if (hl.style.display !== 'block') return null;
            const l = parseFloat(hl.style.left) / s, t = parseFloat(hl.style.top) / s;
            const w = parseFloat(hl.style.width) / s, h = parseFloat(hl.style.height) / s;
            return [Math.round(t), Math.round(t + h - 1), Math.round(l), Math.round(l + w - 1)];
        })""")


def test_explore_outlines_receptive_fields_through_user_layers():
    """The issue's model: hovering a cell of a user layer outlines the field that composing the real data flow
    gives (7×7 through three 3×3 convolutions, not 11×11), one cell of `2.conv`, and per channel group of a
    concatenation; the hover text agrees with `receptive_field` for every cell tried."""
    queries = [("2", 0, 8, 8), ("2.conv", 1, 8, 8), ("3", 0, 7, 7), ("3", 3, 7, 7), ("3", 2, 0, 15), ("1", 0, 0, 0)]
    cells = [USER_LAYERS.replace("explore(m, x)", "")] + [
        f'receptive_field(m, x, layer: "{l}", at: [{c}, {r}, {q}])' for l, c, r, q in queries] + ["explore(m, x)"]
    html, results = explorer_page(cells)
    d = pathlib.Path(scratch(prefix="stride-fields-"))
    (d / "page.html").write_text(f"<!doctype html><html><body>{html}</body></html>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto((d / "page.html").as_uri())
        page.wait_for_selector("canvas.stride-explore-map", timeout=30_000)
        captions = page.eval_on_selector_all(".stride-explore-caption", "els => els.map(e => e.textContent)")
        index = {c.split(" ")[0]: i for i, c in enumerate(captions)}
        info = page.locator(".stride-explore-info")
        for (layer, c, r, q), expected in zip(queries, results[1:-1]):
            page.locator(f".stride-explore-map[data-section='{index[layer]}'][data-map='{c}']").scroll_into_view_if_needed()
            hover_cell(page, index[layer], c, r, q)
            field = [int(v) for v in info.get_attribute("data-field").split(",")]
            kernel = [int(v) for v in re.findall(r"-?\d+", expected)]  # ["rows": [a, b], "cols": [c, d]]
            assert field == kernel, (layer, c, r, q, field, kernel)
        # 2 NoPool: 7×7 in the input, 5×5 in 0, 3×3 in 1 (NoPool's output) and in 1.conv, one cell in 2.conv
        hover_cell(page, index["2"], 0, 8, 8)
        assert outlines(page, 0) == [[5, 11, 5, 11]]
        assert set(map(tuple, outlines(page, index["0"]))) == {(6, 10, 6, 10)}
        assert set(map(tuple, outlines(page, index["1"]))) == {(7, 9, 7, 9)}
        assert outlines(page, index["2.conv"]) == [[8, 8, 8, 8], None, None, None]
        # a cell of 2.conv reads 3×3 of NoPool 1 and nothing of NoPool 2
        hover_cell(page, index["2.conv"], 1, 8, 8)
        assert set(map(tuple, outlines(page, index["1"]))) == {(7, 9, 7, 9)}
        assert outlines(page, index["2"]) == [None, None, None, None]
        # the concatenation: channel 0 (3×3 branch) and channel 3 (5×5 branch) read different fields
        hover_cell(page, index["3"], 3, 7, 7)
        assert outlines(page, index["3.a"]) == [None, None] and outlines(page, index["3.b"]) == [None, [7, 7, 7, 7]]
        page.eval_on_selector(f".stride-explore-map[data-section='{index['2.conv']}']", "e => e.scrollIntoView()")
        hover_cell(page, index["2.conv"], 1, 8, 8)
        screenshot(page, "explore-user-layer.png")
        browser.close()


INSPECTION_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "summary", "source":
         "layer ConvBlock(cin, cout) {\n    let conv = Conv2d(cin, cout, kernel: 3, padding: 1)\n"
         "    let bn = BatchNorm2d(cout)\n    func forward(x) { return max_pool2d(relu(bn(conv(x))), 2) }\n}\n"
         "let model = Sequential(ConvBlock(1, 8), ConvBlock(8, 16), Flatten(), Linear(16 * 7 * 7, 4))\n"
         "summary(model, input: [1, 1, 28, 28])"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "confusion", "source":
         "seed(0)\nlet (x, y) = shapes(600, seed: 1)\nlet opt = Adam(model, lr: 0.003)\n"
         "for epoch in 0..<3 {\n    for (xb, yb) in batches(x, y, size: 50, shuffle: true) {\n"
         "        opt.zero_grad(); cross_entropy(model(xb), yb).backward(); opt.step()\n    }\n}\nmodel.eval()\n"
         "let (xt, yt) = shapes(200, seed: 2)\nconfusion(model(xt), yt, classes: shapes(1).classes)"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "explore",
         "source": USER_LAYERS},
    ],
    "metadata": {"kernelspec": {"name": "stride", "display_name": "Stride", "language": "stride"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_summary_confusion_and_user_layer_fields_read_well_in_jupyterlab():
    """JupyterLab's own table styles applied: the summary's tree stays a tree (names left-aligned, guides drawn),
    the confusion matrix is labelled, and hovering a cell inside a user layer outlines its real field."""
    nb = pathlib.Path(scratch(prefix="stride-nb-")) / "inspection.ipynb"
    nb.write_text(json.dumps(INSPECTION_NOTEBOOK))
    with jupyterlab(nb) as page:
        run_all(page)
        no_errors(page)
        page.wait_for_selector("table.stride-summary", timeout=60_000)
        aligns = page.eval_on_selector_all("table.stride-summary td.stride-summary-name",
                                           "els => els.map(e => getComputedStyle(e).textAlign)")
        assert aligns and set(aligns) == {"left"}, aligns
        names = page.eval_on_selector_all("table.stride-summary td.stride-summary-name", "els => els.map(e => e.textContent)")
        assert "\u251c\u2500 0: ConvBlock" in names and "\u2502  \u251c\u2500 conv: Conv2d" in names, names
        header = page.eval_on_selector_all("table.stride-summary th", "els => els.map(e => getComputedStyle(e).textAlign)")
        assert header == ["left", "left", "right", "right"], header
        page.eval_on_selector("table.stride-summary", "e => e.scrollIntoView({block: 'center'})")
        screenshot(page, "summary.png")
        corner = page.locator("table.stride-confusion th.stride-confusion-corner").inner_text()
        assert corner == "true \\ predicted", corner
        heads = page.eval_on_selector_all("table.stride-confusion thead th", "els => els.map(e => e.textContent)")
        assert heads == ["true \\ predicted", "circle", "square", "triangle", "cross", "total", "accuracy"], heads
        cells = page.eval_on_selector_all("table.stride-confusion td[data-true]", "els => els.map(e => +e.textContent)")
        assert len(cells) == 16 and sum(cells) == 200, cells
        page.eval_on_selector("table.stride-confusion", "e => e.scrollIntoView({block: 'center'})")
        screenshot(page, "confusion.png")
        page.wait_for_selector("canvas.stride-explore-map", timeout=60_000)
        captions = page.eval_on_selector_all(".stride-explore-caption", "els => els.map(e => e.textContent)")
        index = {c.split(" ")[0]: i for i, c in enumerate(captions)}
        page.eval_on_selector(f".stride-explore-map[data-section='{index['1.conv']}']", "e => e.scrollIntoView()")
        hover_cell(page, index["2.conv"], 1, 8, 8)
        info = page.locator(".stride-explore-info")
        assert info.is_visible()  # the readout stays in view above the maps
        assert "receptive field: input rows 5\u201311, cols 5\u201311" in info.inner_text(), info.inner_text()
        assert set(map(tuple, outlines(page, index["1"]))) == {(7, 9, 7, 9)}
        screenshot(page, "explore-user-layer.png")
