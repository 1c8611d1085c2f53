"""NumPy interop and NumPy-checked numerics, through `stride run`: .npy/.npz both ways (what
Stride writes NumPy reads back exactly, with PyTorch state_dict key names), and strided, padded,
dilated and grouped convolutions and pooling checked against NumPy."""
import os, pathlib, subprocess
import numpy as np
from conftest import STRIDE_BIN, scratch

ROOT = pathlib.Path(__file__).resolve().parents[2]


def stride(code, cwd):
    p = pathlib.Path(cwd) / "script.stride"
    p.write_text(code)
    r = subprocess.run([STRIDE_BIN, "run", str(p)], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def np_conv(x, w, b, stride, pad, dil, groups):
    n, c, h, wd = x.shape
    k, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - dil * (kh - 1) - 1) // stride + 1
    ow = (wd + 2 * pad - dil * (kw - 1) - 1) // stride + 1
    out = np.zeros((n, k, oh, ow))
    kg = k // groups
    for o in range(k):
        g = o // kg
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dil: i * dil + stride * (oh - 1) + 1: stride, j * dil: j * dil + stride * (ow - 1) + 1: stride]
                out[:, o] += np.einsum("nchw,c->nhw", patch, w[o, :, i, j])
        out[:, o] += b[o]
    return out


def test_convolutions_and_pooling_match_numpy():
    d = scratch()
    rng = np.random.default_rng(0)
    cases = [(1, 0, 1, 1), (2, 1, 1, 1), (3, 2, 1, 1), (1, 2, 2, 1), (2, 1, 1, 2), (1, 1, 1, 4)]
    x = rng.standard_normal((2, 8, 11, 9))
    np.save(os.path.join(d, "x.npy"), x)
    code = 'let x = load("x.npy")\n'
    for t, (s, p, dl, g) in enumerate(cases):
        w = rng.standard_normal((8, 8 // g, 3, 3)); b = rng.standard_normal(8)
        np.save(os.path.join(d, f"w{t}.npy"), w); np.save(os.path.join(d, f"b{t}.npy"), b)
        code += f'save(conv2d(x, load("w{t}.npy"), load("b{t}.npy"), stride: {s}, padding: {p}, dilation: {dl}, groups: {g}), "y{t}.npy")\n'
    code += 'save(max_pool2d(x, 3, stride: 2, padding: 1), "mp.npy")\nsave(avg_pool2d(x, 2), "ap.npy")\n'
    stride(code, d)
    for t, (s, p, dl, g) in enumerate(cases):
        want = np_conv(x, np.load(os.path.join(d, f"w{t}.npy")), np.load(os.path.join(d, f"b{t}.npy")), s, p, dl, g)
        got = np.load(os.path.join(d, f"y{t}.npy"))
        assert got.dtype == np.float64 and got.shape == want.shape, (t, got.shape, want.shape)
        assert np.allclose(got, want, atol=1e-10), t
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    mp = np.array([[[[xp[n, c, 2 * i:2 * i + 3, 2 * j:2 * j + 3].max() for j in range(5)] for i in range(6)] for c in range(8)] for n in range(2)])
    assert np.allclose(np.load(os.path.join(d, "mp.npy")), mp)
    ap = x[:, :, :10, :8].reshape(2, 8, 5, 2, 4, 2).mean(axis=(3, 5))
    assert np.allclose(np.load(os.path.join(d, "ap.npy")), ap)


def test_state_dict_round_trip_through_npz():
    d = scratch()
    out = stride('seed(1)\nlet m = LeNet5()\nsave(m, "m.npz")\nsave(m[0].weight, "w.npy")\nprint(m[7].bias.sum().item())\n', d)
    z = np.load(os.path.join(d, "m.npz"))
    assert list(z.keys()) == ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"]
    assert z["0.weight"].shape == (6, 1, 5, 5) and z["7.weight"].shape == (120, 400) and z["11.bias"].shape == (10,)
    assert z["0.weight"].dtype == np.float32
    assert np.array_equal(np.load(os.path.join(d, "w.npy")), z["0.weight"])
    assert abs(float(z["7.bias"].sum()) - float(out)) < 1e-5
    # NumPy writes (compressed, other dtypes), Stride reads and loads into a model
    rng = np.random.default_rng(3)
    new = {k: rng.standard_normal(v.shape).astype(np.float32) for k, v in z.items()}
    np.savez_compressed(os.path.join(d, "new.npz"), **new)
    np.save(os.path.join(d, "u8.npy"), np.arange(6, dtype=np.uint8).reshape(2, 3))
    np.save(os.path.join(d, "i64.npy"), np.array([-5, 7], dtype=np.int64))
    out = stride('let m = LeNet5()\nload_into(m, "new.npz")\nprint(m[0].weight.sum().item())\n'
                 'print(load("u8.npy").tolist(), load("i64.npy").tolist())\nlet r = load("new.npz")\nprint(r["7.weight"].shape)\n', d)
    lines = out.strip().split("\n")
    assert abs(float(lines[0]) - float(new["0.weight"].sum())) < 1e-4
    # integer arrays load as Int64 tensors (uint8 widens), as NumPy keeps them integral
    assert lines[1] == "[[0, 1, 2], [3, 4, 5]] [-5, 7]"
    assert lines[2] == "[120, 400]"


def test_small_cnn_learns_shapes():
    """A training test: a small CNN on `shapes` reaches > 90 % held-out accuracy."""
    d = scratch()
    out = stride("""
seed(0)
let (x, y) = shapes(2400, size: 20, seed: 1)
let (xt, yt) = shapes(600, size: 20, seed: 2)
let model = Sequential(Conv2d(1, 8, kernel: 3, padding: 1), ReLU(), MaxPool2d(2),
                       Conv2d(8, 16, kernel: 3, padding: 1), ReLU(), MaxPool2d(2),
                       Flatten(), Linear(16 * 5 * 5, 4))
let opt = Adam(model, lr: 0.004)
for epoch in 0..<8 {
    for (xb, yb) in batches(x, y, size: 64, shuffle: true) {
        opt.zero_grad(); let loss = cross_entropy(model(xb), yb); loss.backward(); opt.step()
    }
}
model.eval()
print(accuracy(model(xt), yt))
""", d)
    assert float(out.strip()) > 0.90, out
