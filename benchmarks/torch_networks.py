"""PyTorch CPU reference for `stride bench`'s networks section: the same cases (same names), the same thread
count, one warm-up and the best of several runs. Prints one JSON object {case: seconds}."""
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_timing import timeit

threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
torch.set_num_threads(threads)
torch.manual_seed(0)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + idt)


def resnet18(classes):
    """torchvision's resnet18 layout (7x7 stem, max pool, four stages of two blocks), as the zoo's ResNet18."""
    layers, cin = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 64
    for i, w in enumerate([64, 128, 256, 512]):
        layers += [BasicBlock(cin, w, 1 if i == 0 else 2), BasicBlock(w, w)]
        cin = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes))


def vgg():
    def cbr(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*cbr(3, 64), nn.MaxPool2d(2), *cbr(64, 128), *cbr(128, 128), nn.MaxPool2d(2),
                         *cbr(128, 256), *cbr(256, 256), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256 * 16, 256),
                         nn.ReLU(), nn.Linear(256, 10))


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                         nn.Linear(84, 10))


def stepper(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def resident():
    """VmRSS and VmHWM (the resident high-water mark) in bytes."""
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024


def first_step_peak(step):
    """How far resident memory rises above its size before the first step, during it (as Stride's probe)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident size
    except OSError:
        return None
    before, _ = resident()
    step()
    return resident()[1] - before


out = {}
x32, y32 = torch.randn(32, 3, 32, 32), torch.arange(32) % 10
m = resnet18(10)
# first, while the process is fresh: the peak memory of one step above the model and its data
peak = first_step_peak(stepper(m, x32, y32))
if peak is not None:
    out["peak: resnet18 step"] = peak
out["resnet18 sgd+momentum step b32"] = timeit(stepper(m, x32, y32), 5)
out["resnet18 forward b32"] = timeit(lambda: m(x32), 5)
out["vgg-style sgd step b32"] = timeit(stepper(vgg(), x32, y32), 5)
out["lenet5 sgd step b64"] = timeit(stepper(lenet5(), torch.randn(64, 1, 32, 32), torch.arange(64) % 10), 10)
bn = nn.BatchNorm2d(64)
a = torch.randn(32, 64, 16, 16, requires_grad=True)
out["batchnorm2d(64) fwd+bwd 32x64x16x16"] = timeit(lambda: bn(a).sum().backward(), 10)
a = torch.randn(32, 256, 8, 8, requires_grad=True)
out["(relu(a*2+1)*a).sum() bwd 32x256x8x8"] = timeit(lambda: (F.relu(a * 2 + 1) * a).sum().backward(), 10)
out["a.sum() bwd 32x256x8x8"] = timeit(lambda: a.sum().backward(), 10)
a = torch.randn(32, 128, 16, 16, requires_grad=True)
w = torch.randn(128, 1, 3, 3, requires_grad=True)
out["depthwise 3x3 fwd+bwd 32x128x16x16"] = timeit(lambda: F.conv2d(a, w, None, padding=1, groups=128).sum().backward(), 5)
a = torch.randn(32, 256, 4, 4, requires_grad=True)
w = torch.randn(256, 256, 3, 3, requires_grad=True)
out["conv 256->256 3x3 on 4x4 fwd+bwd b32"] = timeit(lambda: F.conv2d(a, w, None, padding=1).sum().backward(), 5)
out["randn(12000, 12000)"] = timeit(lambda: torch.randn(12000, 12000), 3)
a = torch.randn(32, 64, 32, 32, requires_grad=True)
w = torch.randn(64, 1, 3, 3, requires_grad=True)
out["depthwise 3x3 s2 fwd+bwd 32x64x32x32"] = timeit(
    lambda: F.conv2d(a, w, None, stride=2, padding=1, groups=64).sum().backward(), 5)
a = torch.randn(512, 1000, requires_grad=True)
y = torch.arange(512) % 1000
out["cross_entropy fwd+bwd 512x1000"] = timeit(lambda: F.cross_entropy(a, y).backward(), 10)
a = torch.randn(32, 256, 8, 8, requires_grad=True)
b = torch.randn(256, 1, 1, requires_grad=True)
out["a + b[256,1,1] fwd+bwd 32x256x8x8"] = timeit(lambda: (a + b).sum().backward(), 10)
print(json.dumps(out))
