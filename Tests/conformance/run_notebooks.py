"""Runs notebooks top to bottom with nbclient on the Stride kernel; fails on any error output, and when a
notebook leaves anything behind (a file in its directory or in the working directory it ran in, or a scratch
directory of the session in the system's temporary directory).
Usage: run_notebooks.py DIR NAME…   (STRIDE_BIN selects the binary, as for the conformance tests)."""
import os, sys, time, tempfile, pathlib
sys.path.insert(0, os.path.dirname(__file__))
import conftest  # installs the stride-test kernelspec
import nbformat
from nbclient import NotebookClient


def leftovers():
    tmp = pathlib.Path(tempfile.gettempdir())
    return set(tmp.glob("stride-session-*")) | set(tmp.glob("TemporaryDirectory.*"))


def main():
    d = pathlib.Path(sys.argv[1])
    names = sys.argv[2:]
    if not names:
        sys.exit("usage: run_notebooks.py DIR NAME…  (the notebooks to run, by name)")
    failed = 0
    for name in names:
        nb = nbformat.read(d / name, as_version=4)
        t0 = time.time()
        before_dir = set(d.iterdir())
        before_tmp = leftovers()
        try:
            # in the notebooks' own directory, as JupyterLab runs them (notebooks read notebooks/data/)
            NotebookClient(nb, kernel_name=conftest.KERNEL_NAME, timeout=600,
                           resources={"metadata": {"path": str(d)}}).execute()
            errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                      if o.get("output_type") == "error"]
            if errors:
                raise RuntimeError(f"{errors[0]['ename']}: {errors[0]['evalue']}")
            new_in_dir = set(d.iterdir()) - before_dir
            if new_in_dir:
                raise RuntimeError(f"left files next to the notebooks: {sorted(p.name for p in new_in_dir)}")
            new_tmp = leftovers() - before_tmp
            if new_tmp:
                raise RuntimeError(f"left scratch directories: {sorted(map(str, new_tmp))}")
            print(f"ok    {name}  {time.time() - t0:.1f}s")
        except Exception as e:
            failed += 1
            print(f"FAIL  {name}  {time.time() - t0:.1f}s\n      {str(e)[:2000]}")
    print(f"notebooks: {len(names) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
