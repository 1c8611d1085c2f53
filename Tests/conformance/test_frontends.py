"""Other front ends: nbconvert --execute, papermill with a parameters cell, and Binder's postBuild
run into a scratch prefix (no Docker engine runs here)."""
import json, os, pathlib, subprocess, sys
import nbformat
from conftest import KERNEL_NAME, STRIDE_BIN, scratch

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent


def small_notebook(path, with_parameters=False):
    cells = []
    if with_parameters:
        c = nbformat.v4.new_code_cell("let n = 3")
        c.metadata["tags"] = ["parameters"]
        cells.append(c)
    else:
        cells.append(nbformat.v4.new_code_cell("let n = 3"))
    cells += [nbformat.v4.new_code_cell('print("n is \\(n)")'), nbformat.v4.new_code_cell("show(randn(n, 4, 4))"),
              nbformat.v4.new_code_cell("n * 2")]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": "Stride", "language": "stride"}})
    nbformat.write(nb, path)


def test_nbconvert_execute_to_html():
    d = pathlib.Path(scratch())
    small_notebook(d / "nb.ipynb")
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--execute", f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}",
                    str(d / "nb.ipynb")], check=True, capture_output=True, timeout=300)
    html = (d / "nb.html").read_text()
    assert "n is 3" in html and "data:image/png;base64" in html


def stride_translator():
    """papermill parameters as Stride `let` bindings (papermill registers translators in-process)."""
    from papermill.translators import Translator

    class StrideTranslator(Translator):
        @classmethod
        def translate_none(cls, val): return "nil"
        @classmethod
        def translate_bool(cls, val): return "true" if val else "false"
        @classmethod
        def translate_escaped_str(cls, str_val): return json.dumps(str_val)
        @classmethod
        def translate_dict(cls, val): raise TypeError("Stride has no dictionary literals")
        @classmethod
        def translate_list(cls, val): return "[" + ", ".join(cls.translate(v) for v in val) + "]"
        @classmethod
        def comment(cls, cmt_str): return f"// {cmt_str}".strip()
        @classmethod
        def assign(cls, name, str_val): return f"let {name} = {str_val}"
    return StrideTranslator


def test_papermill_with_parameters():
    import papermill
    from papermill.translators import papermill_translators
    papermill_translators.register("stride", stride_translator())
    d = pathlib.Path(scratch())
    small_notebook(d / "in.ipynb", with_parameters=True)
    papermill.execute_notebook(str(d / "in.ipynb"), str(d / "out.ipynb"), parameters={"n": 5}, kernel_name=KERNEL_NAME, language="stride", progress_bar=False)
    out = nbformat.read(d / "out.ipynb", as_version=4)
    texts = [o.get("text", "") for c in out.cells if c.cell_type == "code" for o in c.outputs]
    results = [o["data"]["text/plain"] for c in out.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "execute_result"]
    assert any("n is 5" in t for t in texts)
    assert results[-1] == "10"


def test_binder_postbuild_installs_the_kernelspec():
    prefix = pathlib.Path(scratch())
    env = {**os.environ, "PREFIX": str(prefix)}
    subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], cwd=ROOT, env=env, check=True, capture_output=True, timeout=1200)
    spec = json.loads((prefix / "share" / "jupyter" / "kernels" / "stride" / "kernel.json").read_text())
    assert spec["argv"][0] == str(prefix / "libexec" / "stride" / "stride")
    assert spec["display_name"] == "Stride (CNN)" and spec["interrupt_mode"] == "message"
    assert (prefix / "share" / "jupyter" / "kernels" / "stride" / "logo-64x64.png").exists()
    script = prefix / "check.stride"
    script.write_text("print(paramcount(Conv2d(3, 10, kernel: 5)))")
    out = subprocess.run([spec["argv"][0], "run", str(script)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "760"
    # `stride` on the environment's PATH, and JupyterLab's news pop-up off
    assert os.path.realpath(prefix / "bin" / "stride") == os.path.realpath(spec["argv"][0])
    overrides = json.loads((prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
