"""PyTorch CPU reference for `stride bench`: the same cases, the same thread count.
Prints one JSON object {case: seconds}. Run by `stride bench` when torch is importable."""
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_timing import timeit

threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
torch.set_num_threads(threads)
torch.manual_seed(0)


out = {}
conv_cases = [("conv 64x64x32x32->64 3x3 p1", (64, 64, 32, 32), 64, 3, 1, 1),
              ("conv 64x128x16x16->128 3x3 p1", (64, 128, 16, 16), 128, 3, 1, 1),
              ("conv 32x3x227x227->96 11x11 s4", (32, 3, 227, 227), 96, 11, 4, 0),
              ("conv 64x3x32x32->64 3x3 p1", (64, 3, 32, 32), 64, 3, 1, 1)]
for name, shape, k, f, s, p in conv_cases:
    x = torch.randn(*shape, requires_grad=True)
    w = torch.randn(k, shape[1], f, f, requires_grad=True)
    b = torch.randn(k, requires_grad=True)
    out[name + " fwd"] = timeit(lambda: F.conv2d(x, w, b, stride=s, padding=p), 3)
    def fb():
        y = F.conv2d(x, w, b, stride=s, padding=p); y.sum().backward()
    out[name + " fwd+bwd"] = timeit(fb, 3)
x = torch.randn(64, 64, 56, 56)
out["max_pool2d 64x64x56x56 k2"] = timeit(lambda: F.max_pool2d(x, 2), 5)
x = torch.randn(64, 4096); w = torch.randn(4096, 4096); b = torch.randn(4096)
out["linear 64x4096->4096"] = timeit(lambda: F.linear(x, w, b), 5)
model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
                      nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
xb = torch.randn(64, 1, 32, 32); yb = torch.randint(0, 10, (64,))
def step():
    opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
out["lenet5 sgd step b64"] = timeit(step, 10)
print(json.dumps(out))
