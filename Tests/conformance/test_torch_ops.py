"""Differential test: each elementwise/reduction op's forward and backward in Stride against PyTorch (CPU,
Float64) on random inputs and on edge inputs (NaN, ±inf, ±0, huge, subnormal, one element, empty, equal
large logits). Values must agree to 1e-12 relative, NaN where PyTorch has NaN, infinities with their sign."""
import pathlib, subprocess
import numpy as np
import pytest
import torch
from conftest import STRIDE_BIN, scratch

INPUTS = {
    "rand": np.random.default_rng(0).standard_normal((3, 5)),
    "edge": np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e300, -1e300, 1e-310, -1e-310, 1.0, -1.0, 0.5, 2.0]),
    "one": np.array([0.7]),
    "empty": np.zeros((0,)),
    "big": np.array([1e4, 1e4, -1e4]),
}

# name: (Stride closure body over x, PyTorch function)
OPS = {
    "relu": ("relu(x)", torch.relu),
    "sigmoid": ("sigmoid(x)", torch.sigmoid),
    "tanh": ("tanh(x)", torch.tanh),
    "exp": ("exp(x)", torch.exp),
    "log": ("log(x)", torch.log),
    "sqrt": ("sqrt(x)", torch.sqrt),
    "abs": ("abs(x)", torch.abs),
    "square": ("x * x", lambda x: x * x),
    "pow3": ("x ** 3", lambda x: x ** 3),
    "pow0": ("x ** 0", lambda x: x ** 0),
    "softmax": ("softmax(x, dim: -1)", lambda x: torch.softmax(x, dim=-1)),
    "log_softmax": ("log_softmax(x, dim: -1)", lambda x: torch.log_softmax(x, dim=-1)),
    "sum": ("x.sum()", torch.sum),
    "mean": ("x.mean()", torch.mean),
    "clamp": ("clamp(x, min: -1, max: 1)", lambda x: torch.clamp(x, -1, 1)),
    "scale_shift": ("x * 2 + 1", lambda x: x * 2 + 1),
    # picks, not blends: the branch not taken may hold NaN or infinities
    "where": ("where(x > 0, x * 3, log(x))", lambda x: torch.where(x > 0, x * 3, torch.log(x))),
    "masked_pow0": ("where(x > 0, x ** 0, x ** 2)", lambda x: torch.where(x > 0, x ** 0, x ** 2)),
}

SCRIPT = """
let d = load("in.npz")
let out = [:]
let ops = [{ops}]
for name in [{names}] {{
  for op in ops.keys {{
    let x = d[name].detach()
    x.requires_grad = true
    let y = ops[op](x)
    y.sum().backward()
    out[op + "|" + name + "|y"] = y.detach()
    out[op + "|" + name + "|g"] = x.grad
  }}
}}
save(out, "out.npz")
"""


@pytest.fixture(scope="module")
def results():
    d = pathlib.Path(scratch())
    np.savez(d / "in.npz", **INPUTS)
    ops = ", ".join(f'"{k}": {{ x in {body} }}' for k, (body, _) in OPS.items())
    names = ", ".join(f'"{n}"' for n in INPUTS)
    (d / "ops.stride").write_text(SCRIPT.format(ops=ops, names=names))
    r = subprocess.run([STRIDE_BIN, "run", "ops.stride"], cwd=d, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return dict(np.load(d / "out.npz"))


def same(got, want, what):
    assert got.shape == want.shape, f"{what}: shape {got.shape}, PyTorch {want.shape}"
    assert got.dtype == np.float64, f"{what}: dtype {got.dtype}"
    nan = np.isnan(want)
    assert (np.isnan(got) == nan).all(), f"{what}: NaN at {np.isnan(got).nonzero()}, PyTorch {nan.nonzero()}\n{got}\n{want}"
    inf = np.isinf(want)
    assert (got[inf] == want[inf]).all() and not np.isinf(got[~inf]).any(), f"{what}: infinities differ\n{got}\n{want}"
    fin = ~nan & ~inf
    scale = max(1e-300, float(np.abs(want[fin]).max(initial=0)))
    diff = float(np.abs(got[fin] - want[fin]).max(initial=0))
    err = diff / scale
    # a value that is exactly 0 in exact arithmetic (the gradient of softmax(x).sum()) comes out as rounding noise
    # of the O(1) terms it is made of, in either library: an absolute difference at that level is agreement
    assert err < 1e-12 or diff < 1e-14, f"{what}: relative error {err:.2e}, absolute {diff:.2e}\n{got}\n{want}"


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("name", INPUTS)
def test_forward_and_backward_match_pytorch(results, op, name):
    x = torch.tensor(INPUTS[name], dtype=torch.float64, requires_grad=True)
    y = OPS[op][1](x)
    y.sum().backward()
    same(results[f"{op}|{name}|y"], y.detach().numpy(), f"{op}({name}) forward")
    same(results[f"{op}|{name}|g"], x.grad.numpy(), f"{op}({name}) gradient")
