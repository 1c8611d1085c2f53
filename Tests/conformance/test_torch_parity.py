"""Every builtin that names a PyTorch function (`stride docs --torch`) means what that function means: its values,
dtypes, shapes and gradients against PyTorch (CPU, Float64 inputs) on random, edge (NaN, ±inf, ±0, huge,
subnormal), one-element, empty and broadcast inputs, and an error wherever PyTorch raises one. A builtin with a
torch namesake and no case here fails `test_every_namesake_has_a_case`, so a new one cannot skip the comparison.

Each case runs as one cell of a real kernel: `x` (and `y`, `z`) are the inputs, the cell's `y` value is compared,
and when `grad` is set the inputs' gradients of `(result * w).sum()` are compared too (w: fixed weights, so no
gradient is zero by symmetry)."""
import dataclasses, json, pathlib, re, subprocess
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from jupyter_client.manager import start_new_kernel
from conftest import KERNEL_NAME, STRIDE_BIN, scratch

rng = np.random.default_rng(7)
EDGE = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e300, -1e300, 1e-310, -1e-310, 1.0, -1.0, 0.5, 2.0, 2.0])
ARRAYS = {
    "rand": rng.standard_normal((3, 5)),
    "rand3": rng.standard_normal((2, 3, 4)),
    "rand4": rng.standard_normal((2, 3, 5, 5)),
    "edge": EDGE,
    "one": np.array([0.7]),
    "one2": np.array([[0.7]]),
    "empty": np.zeros((0,)),
    "empty2": np.zeros((0, 3)),
    "big": np.array([1e4, 1e4, -1e4]),
    "ties": np.array([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]]),
    "row": rng.standard_normal((3,)),
    "col": rng.standard_normal((2, 1)),
    "b234": rng.standard_normal((2, 1, 3, 4)),
    "b542": rng.standard_normal((5, 4, 2)),
    "vec4": rng.standard_normal((4,)),
    "m34": rng.standard_normal((3, 4)),
    "m45": rng.standard_normal((4, 5)),
    "w3333": rng.standard_normal((4, 3, 3, 3)),
    "bias4": rng.standard_normal((4,)),
    "labels3": np.array([0, 4, 2]),
    "pos": np.abs(rng.standard_normal((3, 5))) + 0.1,
}
UNARY = ("rand", "edge", "one", "empty", "big", "one2")
FLOATISH = ("rand", "one", "empty", "one2")


@dataclasses.dataclass
class Case:
    stride: str  # an expression over x (and y, z)
    torch: object = None  # the same over torch tensors; None: a property check instead
    inputs: tuple = ("rand",)  # names in ARRAYS, bound to x, y, z in order
    grad: bool = False
    check: object = None  # for random results: a predicate over the Stride result (numpy)
    tol: float = 1e-12
    # where PyTorch gives a value and Stride deliberately refuses: a phrase its error message must contain
    refuses: str = None

    def input_sets(self):
        """One call per input name, or, when the expression uses y or z, one call with all of them."""
        if not self.inputs:
            return [()]
        if re.search(r"\b[yz]\b", self.stride):
            return [tuple(self.inputs)]
        return [(n,) for n in self.inputs]


CASES = {
    # --- creation ---
    "tensor": [Case("tensor([[1, 2], [3, 4.5]])", lambda: torch.tensor([[1, 2], [3, 4.5]]), inputs=()),
               Case("tensor([1, 2, 3])", lambda: torch.tensor([1.0, 2.0, 3.0]), inputs=())],
    "zeros": [Case("zeros(2, 3)", lambda: torch.zeros(2, 3), inputs=()),
              Case("zeros([0, 4])", lambda: torch.zeros([0, 4]), inputs=())],
    "ones": [Case("ones(2, 3, dtype: \"float64\")", lambda: torch.ones(2, 3, dtype=torch.float64), inputs=())],
    "full": [Case("full([2, 2], 7.5)", lambda: torch.full([2, 2], 7.5), inputs=())],
    "arange": [Case("arange(0, 10, 3)", lambda: torch.arange(0, 10, 3), inputs=()),
               Case("arange(5)", lambda: torch.arange(5), inputs=()),
               Case("arange(0.5, 2.0, 0.25)", lambda: torch.arange(0.5, 2.0, 0.25), inputs=())],
    "linspace": [Case("linspace(-1, 1, 5)", lambda: torch.linspace(-1, 1, 5), inputs=())],
    "eye": [Case("eye(3)", lambda: torch.eye(3), inputs=())],
    "randn": [Case("randn(200, 50)", check=lambda r: r.shape == (200, 50) and abs(r.mean()) < 0.05
                   and abs(r.std() - 1) < 0.05 and r.dtype == np.float32, inputs=())],
    "rand": [Case("rand(100, 100)", check=lambda r: r.shape == (100, 100) and r.min() >= 0 and r.max() < 1
                  and abs(r.mean() - 0.5) < 0.02, inputs=())],
    "randint": [Case("randint(3, 7, [1000])", check=lambda r: r.dtype == np.int64 and r.min() == 3 and r.max() == 6,
                     inputs=()),
                Case("randint(4, [2, 3])", check=lambda r: r.shape == (2, 3) and r.min() >= 0 and r.max() < 4,
                     inputs=()),
                Case("randint(5, 5, [2])", lambda: torch.randint(5, 5, [2]), inputs=())],
    "randperm": [Case("randperm(50)", check=lambda r: r.dtype == np.int64 and sorted(r) == list(range(50)),
                      inputs=()),
                 Case("randperm(0)", lambda: torch.randperm(0), inputs=())],
    "zeros_like": [Case("zeros_like(x)", lambda x: torch.zeros_like(x), inputs=("rand3",))],
    "ones_like": [Case("ones_like(x)", lambda x: torch.ones_like(x), inputs=("rand3",))],
    "full_like": [Case("full_like(x, 2.5)", lambda x: torch.full_like(x, 2.5), inputs=("rand",))],
    "randn_like": [Case("randn_like(x)", check=lambda r: r.shape == (2, 3, 4) and r.dtype == np.float64,
                        inputs=("rand3",))],
    "rand_like": [Case("rand_like(x)", check=lambda r: r.shape == (3, 5) and r.min() >= 0 and r.max() < 1,
                       inputs=("rand",))],
    # --- elementwise (functions and methods) ---
    "abs": [Case("abs(x)", torch.abs, UNARY, grad=True)],
    "Tensor.abs": [Case("x.abs()", torch.abs, UNARY, grad=True)],
    "sqrt": [Case("sqrt(x)", torch.sqrt, UNARY, grad=True)],
    "Tensor.sqrt": [Case("x.sqrt()", torch.sqrt, ("pos", "edge"), grad=True)],
    "exp": [Case("exp(x)", torch.exp, UNARY, grad=True)],
    "Tensor.exp": [Case("x.exp()", torch.exp, UNARY, grad=True)],
    "log": [Case("log(x)", torch.log, UNARY, grad=True)],
    "Tensor.log": [Case("x.log()", torch.log, ("pos", "edge"), grad=True)],
    "Tensor.pow": [Case("x.pow(3)", lambda x: x.pow(3), UNARY, grad=True),
                   Case("x.pow(0.5)", lambda x: x.pow(0.5), ("pos",), grad=True)],
    "clamp": [Case("clamp(x, -1, 1)", lambda x: torch.clamp(x, -1, 1), UNARY, grad=True),
              Case("x.clamp(min: 0)", lambda x: x.clamp(min=0), UNARY, grad=True),
              Case("clamp(x, max: 0.5)", lambda x: torch.clamp(x, max=0.5), UNARY, grad=True)],
    "relu": [Case("relu(x)", torch.relu, UNARY, grad=True), Case("x.relu()", torch.relu, ("rand",))],
    "sigmoid": [Case("sigmoid(x)", torch.sigmoid, UNARY, grad=True)],
    "tanh": [Case("tanh(x)", torch.tanh, UNARY, grad=True)],
    "swish": [Case("swish(x)", F.silu, UNARY, grad=True)],
    "leaky_relu": [Case("leaky_relu(x, slope: 0.01)", lambda x: F.leaky_relu(x, 0.01), UNARY, grad=True)],
    "elu": [Case("elu(x, alpha: 1.5)", lambda x: F.elu(x, 1.5), UNARY, grad=True)],
    "where": [Case("where(x > 0, x * 3, y)", lambda x, y: torch.where(x > 0, x * 3, y), ("rand", "row"), grad=True)],
    # --- movement ---
    "reshape": [Case("x.reshape(5, 3)", lambda x: x.reshape(5, 3), grad=True),
                Case("reshape(x, -1)", lambda x: torch.reshape(x, (-1,)), grad=True),
                Case("x.reshape(4, 4)", lambda x: x.reshape(4, 4))],
    "Tensor.view": [Case("x.view(15)", lambda x: x.view(15), grad=True)],
    "Tensor.expand": [Case("x.expand(4, 2, 1)", lambda x: x.expand(4, 2, 1), ("col",), grad=True),
                      Case("x.expand(-1, 3)", lambda x: x.expand(-1, 3), ("col",), grad=True)],
    "flatten": [Case("x.flatten()", lambda x: x.flatten(), ("rand3",), grad=True),
                Case("flatten(x)", torch.flatten, ("rand3", "one2"), grad=True),
                Case("flatten(x, start: 1)", lambda x: torch.flatten(x, 1), ("rand4",), grad=True),
                Case("flatten(x, start: 1, end: 2)", lambda x: torch.flatten(x, 1, 2), ("rand4",)),
                Case("flatten(x, start: 2, end: 1)", lambda x: torch.flatten(x, 2, 1), ("rand4",))],
    "permute": [Case("x.permute(2, 0, 1)", lambda x: x.permute(2, 0, 1), ("rand3",), grad=True),
                Case("x.permute(0, 0, 1)", lambda x: x.permute(0, 0, 1), ("rand3",))],
    "transpose": [Case("transpose(x, 0, 2)", lambda x: torch.transpose(x, 0, 2), ("rand3",), grad=True)],
    "squeeze": [Case("x.squeeze()", lambda x: x.squeeze(), ("one2", "col"), grad=True),
                Case("x.squeeze(1)", lambda x: x.squeeze(1), ("col", "rand"))],
    "unsqueeze": [Case("x.unsqueeze(1)", lambda x: x.unsqueeze(1), ("rand", "one"), grad=True),
                  Case("unsqueeze(x, -1)", lambda x: torch.unsqueeze(x, -1), ("rand",))],
    "Tensor.T": [Case("x.T", lambda x: x.T, ("rand",), grad=True)],
    "Tensor.contiguous": [Case("x.T.contiguous()", lambda x: x.T.contiguous(), ("rand",), grad=True)],
    "Tensor.clone": [Case("x.clone()", lambda x: x.clone(), ("rand",), grad=True)],
    "detach": [Case("x.detach() * 2", lambda x: x.detach() * 2, ("rand",))],
    "concat": [Case("concat([x, y], dim: 0)", lambda x, y: torch.cat([x, y], 0), ("rand", "rand"), grad=True),
               Case("concat([x, x], dim: 1)", lambda x: torch.cat([x, x], 1), ("rand",), grad=True),
               Case("concat([x, y], dim: 0)", lambda x, y: torch.cat([x, y], 0), ("rand", "rand3"))],
    "stack": [Case("stack([x, y], dim: 1)", lambda x, y: torch.stack([x, y], 1), ("rand", "rand"), grad=True)],
    # --- reductions ---
    "sum": [Case("x.sum()", torch.sum, UNARY, grad=True),
            Case("sum(x, 1)", lambda x: torch.sum(x, 1), ("rand", "rand3"), grad=True),
            Case("x.sum(dim: [0, 2], keepdim: true)", lambda x: x.sum(dim=(0, 2), keepdim=True), ("rand3",),
                 grad=True)],
    "mean": [Case("x.mean()", torch.mean, UNARY, grad=True),
             Case("mean(x, 0)", lambda x: torch.mean(x, 0), ("rand", "empty2"), grad=True),
             Case("x.mean(dim: -1, keepdim: true)", lambda x: x.mean(-1, keepdim=True), ("rand3",), grad=True)],
    "std": [Case("x.std()", torch.std, ("rand", "one", "edge"), grad=True),
            Case("std(x, 1)", lambda x: torch.std(x, 1), ("rand",), grad=True)],
    # (`var` is a keyword, so the variance is the method alone)
    "Tensor.var": [Case("x.var()", torch.var, ("rand", "one"), grad=True),
                   Case("x.var(0, unbiased: false)", lambda x: torch.var(x, 0, unbiased=False), ("rand",), grad=True)],
    "max": [Case("x.max()", torch.max, ("rand", "edge", "ties", "one"), grad=True),
            Case("max(x)", torch.max, ("empty",)),
            Case("x.max(dim: 1)", lambda x: tuple(torch.max(x, dim=1)), ("rand", "ties"), grad=True),
            Case("max(x, 1, keepdim: true)", lambda x: tuple(torch.max(x, 1, keepdim=True)), ("rand3",), grad=True),
            Case("max(x, y)", torch.max, ("rand", "row"), grad=True),
            Case("max(x, y)", torch.maximum, ("edge", "edge"))],
    "min": [Case("x.min()", torch.min, ("rand", "edge", "ties"), grad=True),
            Case("x.min(dim: 0)", lambda x: tuple(torch.min(x, dim=0)), ("rand", "ties"), grad=True),
            Case("min(x, y)", torch.min, ("rand", "row"), grad=True)],
    "amax": [Case("amax(x, dim: [0, 2])", lambda x: torch.amax(x, dim=(0, 2)), ("rand3",), grad=True),
             Case("x.amax()", lambda x: torch.amax(x), ("ties", "edge"), grad=True),
             Case("x.amax(dim: 1, keepdim: true)", lambda x: torch.amax(x, 1, keepdim=True), ("ties",), grad=True)],
    "amin": [Case("amin(x, dim: 1)", lambda x: torch.amin(x, 1), ("ties", "rand"), grad=True)],
    "argmax": [Case("x.argmax()", torch.argmax, ("rand", "ties", "edge")),
               Case("argmax(x, 1)", lambda x: torch.argmax(x, 1), ("rand", "ties")),
               Case("x.argmax(dim: 0, keepdim: true)", lambda x: torch.argmax(x, 0, keepdim=True), ("rand",))],
    "argmin": [Case("argmin(x)", torch.argmin, ("rand", "ties")),
               Case("x.argmin(dim: 1)", lambda x: torch.argmin(x, 1), ("rand",))],
    "Tensor.item": [Case("x.item()", lambda x: x.item(), ("one", "one2", "rand")),
                    Case("tensor([9007199254740993], dtype: \"int64\").item()", lambda: 9007199254740993, inputs=())],
    "Tensor.tolist": [Case("x.tolist()", lambda x: x.tolist(), ("rand", "one"))],
    "Tensor.double": [Case("x.float().double()", lambda x: x.float().double(), ("rand",), grad=True)],
    "Tensor.float": [Case("x.float()", lambda x: x.float(), ("rand",), grad=True, tol=1e-6)],
    "Tensor.long": [Case("x.long()", lambda x: x.long(), ("rand", "big")),
                    Case("x.long()", lambda x: x.long(), ("edge",), refuses="not an integer")],
    # --- products ---
    "matmul": [Case("x @ y", torch.matmul, ("m34", "m45"), grad=True),
               Case("matmul(x, y)", torch.matmul, ("b234", "b542"), grad=True),
               Case("x @ y", torch.matmul, ("vec4", "b542"), grad=True),
               Case("x @ y", torch.matmul, ("b542", "col"), grad=False),
               Case("x @ y", torch.matmul, ("m34", "vec4"), grad=True),
               Case("x @ y", torch.matmul, ("vec4", "vec4"), grad=True),
               Case("x @ y", torch.matmul, ("m34", "m34"))],
    # --- neural-network functions ---
    "softmax": [Case("softmax(x, dim: 1)", lambda x: torch.softmax(x, 1), ("rand", "big"), grad=True),
                Case("softmax(x, dim: 0)", lambda x: torch.softmax(x, 0), ("edge",))],
    "log_softmax": [Case("log_softmax(x, dim: -1)", lambda x: torch.log_softmax(x, -1), ("rand", "big"),
                         grad=True)],
    "conv2d": [Case("conv2d(x, y, z, stride: 2, padding: 1)", lambda x, y, z: F.conv2d(x, y, z, 2, 1),
                    ("rand4", "w3333", "bias4"), grad=True, tol=1e-10)],
    "max_pool2d": [Case("max_pool2d(x, 2)", lambda x: F.max_pool2d(x, 2), ("rand4",), grad=True),
                   Case("max_pool2d(x, 3, stride: 2, padding: 1)", lambda x: F.max_pool2d(x, 3, 2, 1), ("rand4",),
                        grad=True)],
    "avg_pool2d": [Case("avg_pool2d(x, 2, stride: 1)", lambda x: F.avg_pool2d(x, 2, 1), ("rand4",), grad=True)],
    "linear": [Case("linear(x, y, z)", F.linear, ("m45", "w_lin", "b_lin"), grad=True)],
    "prelu": [Case("prelu(x, y)", F.prelu, ("rand4", "prelu_w"), grad=True)],
    "dropout": [Case("dropout(x, 0.5, training: false)", lambda x: F.dropout(x, 0.5, training=False), ("rand",),
                     grad=True),
                Case("dropout(ones(10000), 0.25)", check=lambda r: np.isclose(r[r != 0], 1 / 0.75).all()
                     and abs((r == 0).mean() - 0.25) < 0.03, inputs=())],
    "batch_norm": [Case("batch_norm(x, training: true)", lambda x: F.batch_norm(x, None, None, training=True),
                        ("rand4",), grad=True, tol=1e-10)],
    "local_response_norm": [Case("local_response_norm(x, 3)", lambda x: F.local_response_norm(x, 3), ("rand4",),
                                 grad=True, tol=1e-10)],
    "cross_entropy": [Case("cross_entropy(x, y)", F.cross_entropy, ("rand", "labels3"), grad=True)],
    "mse_loss": [Case("mse_loss(x, y)", F.mse_loss, ("rand", "rand"), grad=True)],
    # --- autograd ---
    "backward": [Case("backward(sum(x * x))", None, ("rand",), check=lambda r: True)],
}
ARRAYS["w_lin"] = rng.standard_normal((3, 5))
ARRAYS["b_lin"] = rng.standard_normal((3,))
ARRAYS["prelu_w"] = np.array([0.1, 0.2, 0.3])

SETUP = """
let inputs = load("in.npz")
func keep(out, name, v) {
    let k = type(v)
    if k == "Tensor" { out[name] = v.detach() }
    else if k == "Tuple" || k == "List" {
        if k == "List" && v.count > 0 && type(v[0]) != "Tensor" { out[name] = tensor(v, dtype: "float64") }
        else { for (i, e) in enumerate(v) { keep(out, name + "." + String(i), e) } }
    }
    else if k == "Int" { out[name] = tensor([v], dtype: "int64") }
    else if k == "Float" || k == "Bool" { out[name] = tensor([v], dtype: "float64") }
}
"""

CELL = """
let out = [:]
let names = [{names}]
let args = []
for n in names {{ let t = inputs[n].detach()
  if t.dtype == "float64" {{ t.requires_grad = true }}
  args.append(t) }}
let x = args.count > 0 ? args[0] : nil
let y = args.count > 1 ? args[1] : nil
let z = args.count > 2 ? args[2] : nil
let r = {expr}
keep(out, "r", r)
if {grad} {{
  let flat = type(r) == "Tuple" ? r[0] : r
  let w = linspace(0.5, 1.5, flat.count, dtype: "float64").reshape(flat.shape)
  backward((flat * w).sum())
  for (i, t) in enumerate(args) {{ if t.grad != nil {{ out["g" + String(i)] = t.grad }} }}
}}
save(out, "{file}")
"""


def results_of(v):
    """A torch result as a dict like the one the Stride cell saves."""
    out = {}

    def keep(name, v):
        if isinstance(v, torch.Tensor):
            out[name] = v.detach().numpy()
        elif isinstance(v, (tuple, list)) and v and not isinstance(v[0], torch.Tensor) and isinstance(v, list):
            out[name] = np.array(v, dtype=np.float64)
        elif isinstance(v, (tuple, list)):
            for i, e in enumerate(v):
                keep(f"{name}.{i}", e)
        elif isinstance(v, bool):
            out[name] = np.array([float(v)])
        elif isinstance(v, int):
            out[name] = np.array([v], dtype=np.int64)
        elif isinstance(v, float):
            out[name] = np.array([v])
    keep("r", v)
    return out


def same(got, want, what, tol):
    assert got.shape == want.shape, f"{what}: shape {got.shape}, PyTorch {want.shape}"
    if want.dtype.kind in "iub":
        assert got.dtype.kind in "iu", f"{what}: dtype {got.dtype}, PyTorch {want.dtype}"
        assert (got == want).all(), f"{what}:\n{got}\nPyTorch:\n{want}"
        return
    assert got.dtype.kind == "f", f"{what}: dtype {got.dtype}, PyTorch {want.dtype}"
    g, w = got.astype(np.float64), want.astype(np.float64)
    nan = np.isnan(w)
    assert (np.isnan(g) == nan).all(), f"{what}: NaN differs\n{g}\nPyTorch:\n{w}"
    inf = np.isinf(w)
    assert (g[inf] == w[inf]).all() and not np.isinf(g[~inf]).any(), f"{what}: infinities differ\n{g}\n{w}"
    fin = ~nan & ~inf
    scale = max(1e-300, float(np.abs(w[fin]).max(initial=0)))
    diff = float(np.abs(g[fin] - w[fin]).max(initial=0))
    assert diff <= tol * max(1.0, scale), f"{what}: max difference {diff} (scale {scale})\n{g}\nPyTorch:\n{w}"


def namesakes():
    r = subprocess.run([STRIDE_BIN, "docs", "--torch"], capture_output=True, text=True, check=True)
    keys = set()
    for e in json.loads(r.stdout):
        keys.add(e["name"] if e["function"] else "Tensor." + e["name"])
    return keys


def test_every_namesake_has_a_case():
    missing = namesakes() - set(CASES)
    assert not missing, f"builtins with a torch namesake and no differential case: {sorted(missing)}"


@pytest.fixture(scope="module")
def kernel():
    d = pathlib.Path(scratch())
    np.savez(d / "in.npz", **ARRAYS)
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, cwd=str(d))
    reply = kc.execute_interactive(SETUP, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    yield kc, d
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def stride_run(kc, d, case, names, index):
    file = f"out{index}.npz"
    code = CELL.format(names=", ".join(f'"{n}"' for n in names), expr=case.stride,
                       grad="true" if case.grad else "false", file=file)
    errors = []

    def hook(msg):
        if msg["msg_type"] == "error":
            errors.append(msg["content"]["ename"] + ": " + msg["content"]["evalue"])
    reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
    if reply["content"]["status"] != "ok":
        return None, errors[0] if errors else reply["content"].get("ename", "error")
    return dict(np.load(d / file)), None


def torch_run(case, names):
    args = []
    for n in names:
        a = ARRAYS[n]
        t = torch.tensor(a)
        if t.dtype == torch.float64:
            t.requires_grad_(True)
        args.append(t)
    try:
        r = case.torch(*args)
    except (RuntimeError, ValueError, IndexError, TypeError) as e:
        return None, str(e)
    out = results_of(r)
    if case.grad:
        flat = r[0] if isinstance(r, tuple) else r
        w = torch.linspace(0.5, 1.5, flat.numel(), dtype=flat.dtype).reshape(flat.shape)
        (flat * w).sum().backward()
        for i, t in enumerate(args):
            if t.grad is not None:
                out[f"g{i}"] = t.grad.numpy()
    return out, None


PARAMS = [(key, i, case) for key, cases in sorted(CASES.items()) for i, case in enumerate(cases)]


@pytest.mark.parametrize("key,i,case", PARAMS, ids=[f"{k}-{i}" for k, i, _ in PARAMS])
def test_matches_pytorch(kernel, key, i, case):
    kc, d = kernel
    input_sets = case.input_sets()
    for k, names in enumerate(input_sets):
        what = f"{case.stride} on {', '.join(names) or 'no input'}"
        got, err = stride_run(kc, d, case, names, f"{key}-{i}-{k}".replace(".", "_"))
        if case.torch is None:
            assert err is None, f"{what}: {err}"
            assert case.check(got["r"] if "r" in got else None), f"{what}: {got}"
            continue
        want, terr = torch_run(case, names)
        if terr is not None:
            assert err is not None, f"{what}: PyTorch raises ({terr}); Stride gave {got}"
            continue
        if case.refuses is not None:
            assert err is not None and case.refuses in err, f"{what}: expected an error about {case.refuses}, got {err}"
            continue
        assert err is None, f"{what}: Stride raises {err}; PyTorch gives {want}"
        assert set(got) == set(want), f"{what}: results {sorted(got)}, PyTorch {sorted(want)}"
        for name in want:
            same(got[name], want[name], f"{what} [{name}]", case.tol)
