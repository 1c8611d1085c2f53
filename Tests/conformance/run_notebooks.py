"""Runs every notebook top to bottom with nbclient on the Stride kernel; fails on any error output.
Usage: run_notebooks.py DIR [NAME…]   (STRIDE_BIN selects the binary, as for the conformance tests)."""
import os, sys, time, tempfile, pathlib
sys.path.insert(0, os.path.dirname(__file__))
import conftest  # installs the stride-test kernelspec
import nbformat
from nbclient import NotebookClient

def main():
    d = pathlib.Path(sys.argv[1])
    names = sys.argv[2:] or sorted(p.name for p in d.glob("*.ipynb"))
    failed = 0
    for name in names:
        nb = nbformat.read(d / name, as_version=4)
        work = tempfile.mkdtemp(prefix="stride-nb-")
        t0 = time.time()
        try:
            NotebookClient(nb, kernel_name=conftest.KERNEL_NAME, timeout=600, resources={"metadata": {"path": work}}).execute()
            errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                raise RuntimeError(f"{errors[0]['ename']}: {errors[0]['evalue']}")
            print(f"ok    {name}  {time.time() - t0:.1f}s")
        except Exception as e:
            failed += 1
            print(f"FAIL  {name}  {time.time() - t0:.1f}s\n      {str(e)[:2000]}")
    print(f"notebooks: {len(names) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
