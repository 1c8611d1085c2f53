"""User layers (`layer` declarations, language reference §10) against PyTorch: a model made of them saves a
state dict whose names, shapes and values the equivalent `nn.Module` loads with `strict=True`, and the two
then compute the same outputs; a trained PyTorch model's weights load into the Stride model the other way."""
import pathlib, subprocess
import numpy as np
import torch
import torch.nn as nn
from conftest import STRIDE_BIN, scratch

STRIDE_MODEL = """
layer Block(cin, cout, stride: 1) {
    let conv1 = Conv2d(cin, cout, kernel: 3, stride: stride, padding: 1, bias: false)
    let bn1 = BatchNorm2d(cout)
    let conv2 = Conv2d(cout, cout, kernel: 3, padding: 1, bias: false)
    let bn2 = BatchNorm2d(cout)
    var shortcut = nil
    if stride != 1 || cin != cout {
        shortcut = Sequential(Conv2d(cin, cout, kernel: 1, stride: stride, bias: false), BatchNorm2d(cout))
    }
    var gain = parameter(ones(1, cout, 1, 1) * 1.5)
    func forward(x) {
        var s = x
        if shortcut != nil { s = shortcut(x) }
        return relu(bn2(conv2(relu(bn1(conv1(x))))) * gain + s)
    }
}
layer Net(widths: [8, 16, 16]) {
    let stem = Conv2d(3, widths[0], kernel: 3, padding: 1)
    let blocks = []
    var c = widths[0]
    for w in widths {
        blocks.append(Block(c, w, stride: w == c ? 1 : 2))
        c = w
    }
    let head = Linear(c, 10)
    func forward(x) {
        var h = relu(stem(x))
        for b in blocks { h = b(h) }
        return head(h.mean(dim: [2, 3]))
    }
}
let m = Sequential(Net())
"""


class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.gain = nn.Parameter(torch.ones(1, cout, 1, 1))

    def forward(self, x):
        s = x if self.shortcut is None else self.shortcut(x)
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) * self.gain + s)


class Net(nn.Module):
    def __init__(self, widths=(8, 16, 16)):
        super().__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
        blocks, c = [], widths[0]
        for w in widths:
            blocks.append(Block(c, w, 1 if w == c else 2))
            c = w
        self.blocks = nn.ModuleList(blocks)
        self.head = nn.Linear(c, 10)

    def forward(self, x):
        h = torch.relu(self.stem(x))
        for b in self.blocks:
            h = b(h)
        return self.head(h.mean(dim=(2, 3)))


def stride(code, cwd):
    p = pathlib.Path(cwd) / "script.stride"
    p.write_text(code)
    r = subprocess.run([STRIDE_BIN, "run", str(p)], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def rel(a, b):
    return float(np.abs(a - b).max() / max(1e-6, np.abs(b).max()))


def test_stride_state_dict_loads_strictly_into_pytorch_and_computes_the_same():
    d = scratch()
    stride(STRIDE_MODEL + """
seed(0)
let opt = SGD(m, lr: 0.001, momentum: 0.9)
let x = randn(4, 3, 16, 16)
for i in 0..<3 { zero_grad(m); cross_entropy(m(x), tensor([1, 2, 3, 4])).backward(); opt.step() }
m.eval()
save(x, "x.npy")
save(m(x), "y.npy")
save(m, "m.npz")
""", d)
    z = np.load(f"{d}/m.npz")
    model = nn.Sequential(Net())
    want = model.state_dict()
    assert list(z.keys()) == list(want.keys())  # same names in PyTorch's order
    for k, v in want.items():
        assert z[k].shape == tuple(v.shape), k
    assert z["0.blocks.0.bn1.num_batches_tracked"].dtype == np.int64 and int(z["0.blocks.0.bn1.num_batches_tracked"]) == 3
    assert "0.blocks.1.shortcut.1.running_mean" in z and "0.blocks.0.shortcut.0.weight" not in z
    model.load_state_dict({k: torch.from_numpy(z[k]) for k in z}, strict=True)
    model.eval()
    with torch.no_grad():
        y = model(torch.from_numpy(np.load(f"{d}/x.npy"))).numpy()
    assert rel(np.load(f"{d}/y.npy"), y) < 1e-5


def test_pytorch_weights_load_into_the_stride_layers():
    d = scratch()
    torch.manual_seed(0)
    model = nn.Sequential(Net())
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(4, 3, 16, 16)
    for _ in range(2):  # running statistics and weights move away from their initial values
        opt.zero_grad()
        model(x).square().mean().backward()
        opt.step()
    model.eval()
    np.savez(f"{d}/torch.npz", **{k: v.detach().numpy() for k, v in model.state_dict().items()})
    np.save(f"{d}/x.npy", x.numpy())
    with torch.no_grad():
        y = model(x).numpy()
    stride(STRIDE_MODEL + """
load_into(m, "torch.npz")
m.eval()
save(m(load("x.npy")), "y.npy")
""", d)
    assert rel(np.load(f"{d}/y.npy"), y) < 1e-5
