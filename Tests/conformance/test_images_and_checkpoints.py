"""Bringing one's own data and weights: PNG and JPEG through libpng/libjpeg-turbo checked against Pillow,
resize and center_crop against PyTorch, image folders, CIFAR-10's binary batches, .safetensors both ways,
PyTorch checkpoints (a torchvision-structured ResNet-18 gives PyTorch's logits), and hostile files that must
give a clear error naming the file, never a crash, a hang, code run or a huge allocation. Every file is made
here, in the test venv."""
import json, pathlib, struct, subprocess, zlib
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from safetensors.numpy import load_file, save_file
from conftest import STRIDE_BIN, scratch


def stride(code, cwd, timeout=300):
    """Runs a script; returns (exit status, stdout, stderr)."""
    (pathlib.Path(cwd) / "t.stride").write_text(code)
    r = subprocess.run([STRIDE_BIN, "run", "t.stride"], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode in (0, 1), f"the process crashed ({r.returncode}): {r.stderr[-3000:]}"
    return r.returncode, r.stdout, r.stderr


def ok(code, cwd):
    rc, out, err = stride(code, cwd)
    assert rc == 0, err
    return out


@pytest.fixture()
def d():
    return pathlib.Path(scratch())


def test_png_round_trips_are_pixel_exact_in_every_layout(d):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (7, 5, 3), dtype=np.uint8)
    cases = {
        "grey.png": (Image.fromarray(rgb[:, :, 0], "L"), rgb[:, :, :1] / 255),
        "rgb.png": (Image.fromarray(rgb, "RGB"), rgb / 255),
        "rgba.png": (Image.fromarray(np.dstack([rgb, rgb[:, :, :1]]), "RGBA"), np.dstack([rgb, rgb[:, :, :1]]) / 255),
        "greyalpha.png": (Image.fromarray(np.dstack([rgb[:, :, 0], rgb[:, :, 1]]), "LA"),
                          np.dstack([rgb[:, :, 0], rgb[:, :, 1]]) / 255),
    }
    pal = Image.fromarray(rgb, "RGB").quantize(16)
    cases["palette.png"] = (pal, np.asarray(pal.convert("RGB")) / 255)
    grey16 = rng.integers(0, 65536, (6, 4), dtype=np.uint16)
    cases["grey16.png"] = (Image.fromarray(grey16), grey16[:, :, None] / 65535)
    bits = rng.integers(0, 2, (5, 9), dtype=np.uint8) * 255
    cases["onebit.png"] = (Image.fromarray(bits, "L").convert("1"), bits[:, :, None] / 255)
    names = []
    for name, (img, want) in cases.items():
        img.save(d / name)
        names.append(name)
    code = "".join(f'save(load_image("{n}"), "{n}.npy")\n' for n in names)
    code += 'let img = load_image("rgb.png")\nsave_image(img, "again.png")\nsave(load_image("again.png"), "again.npy")\n'
    ok(code, d)
    for name, (img, want) in cases.items():
        got = np.load(d / f"{name}.npy")
        assert got.dtype == np.float32
        assert got.shape == (want.shape[2], want.shape[0], want.shape[1]), name
        np.testing.assert_allclose(got, want.transpose(2, 0, 1).astype(np.float32), rtol=0, atol=1e-7, err_msg=name)
    assert np.array_equal(np.asarray(Image.open(d / "again.png")), rgb)
    assert np.array_equal(np.load(d / "again.npy"), np.load(d / "rgb.png.npy"))


def test_jpeg_decodes_as_pillow_does(d):
    rng = np.random.default_rng(1)
    smooth = (np.cumsum(rng.normal(size=(40, 56, 3)), axis=1) * 8 + 128).clip(0, 255).astype(np.uint8)
    Image.fromarray(smooth, "RGB").save(d / "colour.jpg", quality=90)
    Image.fromarray(smooth[:, :, 1], "L").save(d / "grey.jpeg", quality=75)
    ok('save(load_image("colour.jpg"), "c.npy")\nsave(load_image("grey.jpeg"), "g.npy")\n', d)
    for name, out in (("colour.jpg", "c.npy"), ("grey.jpeg", "g.npy")):
        want = np.asarray(Image.open(d / name), dtype=np.float32) / 255
        want = want.transpose(2, 0, 1) if want.ndim == 3 else want[None]
        got = np.load(d / out)
        assert got.shape == want.shape
        assert np.abs(got - want).max() <= 2 / 255 + 1e-6, name
        assert np.abs(got - want).mean() < 0.25 / 255, name


def test_resize_and_center_crop_follow_pytorch_and_torchvision(d):
    x = np.random.default_rng(2).random((3, 37, 50)).astype(np.float32)
    np.save(d / "x.npy", x)
    ok('let x = load("x.npy")\n'
       'save(resize(x, size: [20, 24]), "down.npy")\n'
       'save(resize(x, size: [20, 24], antialias: false), "down_plain.npy")\n'
       'save(resize(x, size: [61, 90]), "up.npy")\n'
       'save(resize(x, size: 16), "short.npy")\n'
       'save(center_crop(x, 21), "crop.npy")\n'
       'save(center_crop(x, [40, 8]), "crop_pad.npy")\n', d)
    t = torch.from_numpy(x)[None]
    for out, size, aa in (("down", (20, 24), True), ("down_plain", (20, 24), False), ("up", (61, 90), True)):
        want = F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=aa)[0].numpy()
        np.testing.assert_allclose(np.load(d / f"{out}.npy"), want, rtol=0, atol=1e-5, err_msg=out)
    assert np.load(d / "short.npy").shape == (3, 16, 21)  # torchvision: the shorter side to 16, 50*16/37 -> 21
    top, left = int(round((37 - 21) / 2)), int(round((50 - 21) / 2))
    np.testing.assert_array_equal(np.load(d / "crop.npy"), x[:, top:top + 21, left:left + 21])
    crop = np.load(d / "crop_pad.npy")  # taller than the image: zero rows above and below
    assert crop.shape == (3, 40, 8)
    top, left = int(round((37 - 40) / 2)), int(round((50 - 8) / 2))
    np.testing.assert_array_equal(crop[:, -top:-top + 37], x[:, :, left:left + 8])
    assert (crop[:, :-top] == 0).all()


def test_image_folder_sorts_classes_as_torchvision_and_resizes(d):
    rng = np.random.default_rng(3)
    root = d / "pets"
    made = {}
    for cls in ("zebra", "ant", "cat"):  # made out of order: classes come sorted
        (root / cls).mkdir(parents=True)
        for i, (h, w) in enumerate([(20, 30), (33, 17)]):
            arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            name = f"{cls}{i}.png" if i == 0 else f"{cls}{i}.JPG"
            Image.fromarray(arr).save(root / cls / name, format="PNG" if i == 0 else "JPEG")
            made[(cls, i)] = name
    (root / "ant" / "notes.txt").write_text("not an image")
    out = ok('let (images, labels, classes) = image_folder("pets", size: [12, 10])\n'
             'print(classes)\nprint(images.shape)\nsave(images, "images.npy")\nsave(labels, "labels.npy")\n'
             'save(resize(load_image("pets/cat/cat1.JPG"), size: [12, 10]), "cat1.npy")\n', d)
    assert '["ant", "cat", "zebra"]' in out
    assert "[6, 3, 12, 10]" in out
    labels = np.load(d / "labels.npy")
    assert labels.dtype == np.int64 and labels.tolist() == [0, 0, 1, 1, 2, 2]
    np.testing.assert_array_equal(np.load(d / "images.npy")[3], np.load(d / "cat1.npy"))
    rc, _, err = stride('image_folder("pets")', d)  # different sizes and no size: a clear error
    assert rc == 1 and "size:" in err


def test_cifar10_binary_batches(d):
    rng = np.random.default_rng(4)
    batches = {}
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.integers(0, 10, 7, dtype=np.uint8)
        pixels = rng.integers(0, 256, (7, 3072), dtype=np.uint8)
        (d / name).write_bytes(np.hstack([labels[:, None], pixels]).tobytes())
        batches[name] = (labels, pixels)
    ok('let (x, y) = cifar10(".")\nsave(x, "x.npy")\nsave(y, "y.npy")\n'
       'let (tx, ty) = cifar10(".", train: false)\nsave(tx, "tx.npy")\nprint(cifar10_classes()[ty[0].item()])\n', d)
    x, y = np.load(d / "x.npy"), np.load(d / "y.npy")
    assert x.shape == (35, 3, 32, 32) and y.shape == (35,) and y.dtype == np.int64
    labels, pixels = batches["data_batch_3.bin"]
    np.testing.assert_array_equal(y[14:21], labels)
    np.testing.assert_allclose(x[14].reshape(-1), pixels[0] / 255, atol=1e-7)
    np.testing.assert_allclose(np.load(d / "tx.npy")[6].reshape(-1), batches["test_batch.bin"][1][6] / 255, atol=1e-7)
    (d / "data_batch_2.bin").write_bytes(b"\x00" * 100)
    rc, _, err = stride('cifar10(".")', d)
    assert rc == 1 and "data_batch_2.bin" in err and "3,073" in err


def test_safetensors_both_ways(d):
    rng = np.random.default_rng(5)
    tensors = {"conv.weight": rng.normal(size=(4, 3, 3, 3)).astype(np.float32),
               "double": rng.normal(size=(5,)), "steps": np.array([7, -3], dtype=np.int64),
               "empty": np.zeros((0, 3), np.float32)}
    save_file(tensors, str(d / "in.safetensors"))
    torch_half = {"half": torch.randn(3, 2).half(), "brain": torch.randn(4).bfloat16()}
    import safetensors.torch
    safetensors.torch.save_file(torch_half, str(d / "half.safetensors"))
    ok('let sd = load("in.safetensors")\nsave(sd, "out.safetensors")\n'
       'let h = load("half.safetensors")\nsave(h["half"], "half.npy")\nsave(h["brain"], "brain.npy")\n'
       'let m = Linear(3, 2)\nsave(m, "linear.safetensors")\nload_into(m, "linear.safetensors")\n', d)
    back = load_file(str(d / "out.safetensors"))
    assert set(back) == set(tensors)
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and np.array_equal(back[k], v), k
    np.testing.assert_array_equal(np.load(d / "half.npy"), torch_half["half"].float().numpy())
    np.testing.assert_array_equal(np.load(d / "brain.npy"), torch_half["brain"].float().numpy())
    assert set(load_file(str(d / "linear.safetensors"))) == {"weight", "bias"}


class BasicBlock(nn.Module):
    """torchvision's BasicBlock, with its attribute names (so the state dict keys are torchvision's)."""
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + idt)


class ResNet18(nn.Module):
    """torchvision.models.resnet18's structure and names, written out (torchvision is not installed here)."""
    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths, cin = [64, 128, 256, 512], 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w)))
            cin = w
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def test_a_torchvision_resnet18_checkpoint_gives_pytorchs_logits(d):
    torch.manual_seed(0)
    model = ResNet18()
    with torch.no_grad():  # non-trivial batch-norm statistics, so eval mode really uses them
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
    model.eval()
    torch.save(model.state_dict(), d / "resnet18.pth")
    x = torch.randn(2, 3, 64, 64)
    np.save(d / "x.npy", x.numpy())
    out = ok('let model = ResNet18()\nload_into(model, "resnet18.pth")\nmodel.eval()\n'
             'save(model(load("x.npy")).detach(), "logits.npy")\n'
             'let sd = load("resnet18.pth")\nprint(sd.count)\nprint(sd["layer2.0.downsample.1.num_batches_tracked"])\n', d)
    assert "122" in out
    with torch.no_grad():
        want = model(x).numpy()
    got = np.load(d / "logits.npy")
    assert np.abs(got - want).max() / np.abs(want).max() < 1e-4


def test_a_training_checkpoint_and_half_precision_weights(d):
    torch.manual_seed(1)
    lin = nn.Linear(4, 3)
    torch.save({"epoch": 7, "state_dict": {k: v.half() for k, v in lin.state_dict().items()}, "lr": 0.1},
               d / "ckpt.pth")
    out = ok('let m = Linear(4, 3)\nload_into(m, "ckpt.pth")\nsave(m.weight.detach(), "w.npy")\n'
             'let c = load("ckpt.pth")\nprint(c["epoch"], c["lr"])\n', d)
    assert "7 0.1" in out
    np.testing.assert_array_equal(np.load(d / "w.npy"), lin.weight.detach().half().float().numpy())


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_hostile_files_give_clear_errors(d):
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(d / "good.png")
    good = (d / "good.png").read_bytes()
    (d / "truncated.png").write_bytes(good[:len(good) // 2])
    (d / "wrong.png").write_bytes(b"GIF89a" + good[6:])
    # a PNG bomb: a valid header claiming 100000 x 100000 RGB pixels, and a few bytes of data
    bomb = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
    bomb += png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + png_chunk(b"IEND", b"")
    (d / "bomb.png").write_bytes(bomb)
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(d / "good.jpg")
    (d / "truncated.jpg").write_bytes((d / "good.jpg").read_bytes()[:40])
    # a pickle that would run a shell command
    marker = d / "ran"

    class Evil:
        def __reduce__(self):
            import os
            return (os.system, (f"touch {marker}",))
    torch.save({"weight": torch.zeros(2), "x": Evil()}, d / "evil.pth")
    # safetensors declaring a 2^40-byte tensor, and one whose header length runs past the file
    header = json.dumps({"w": {"dtype": "F32", "shape": [1 << 20, 1 << 18], "data_offsets": [0, 1 << 40]}}).encode()
    (d / "huge.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\x00" * 16)
    (d / "short.safetensors").write_bytes(struct.pack("<Q", 1 << 40) + b"{}")
    # an .npy claiming 2^40 elements
    npy = b"\x93NUMPY\x01\x00" + b"{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }".ljust(118) + b"\n"
    (d / "huge.npy").write_bytes(npy + b"\x00" * 64)
    cases = {
        'load_image("truncated.png")': ("IOError", "truncated.png"),
        'load_image("wrong.png")': ("IOError", "wrong.png"),
        'load_image("bomb.png")': ("MemoryError", "bomb.png"),
        'load_image("truncated.jpg")': ("IOError", "truncated.jpg"),
        'load("evil.pth")': ("IOError", "posix.system"),
        'load_into(Linear(2, 1), "evil.pth")': ("IOError", "evil.pth"),
        'load("huge.safetensors")': ("IOError", "huge.safetensors"),
        'load("short.safetensors")': ("IOError", "short.safetensors"),
        'load("huge.npy")': ("IOError", "huge.npy"),
        'load_image("nowhere.png")': ("IOError", "nowhere.png"),
    }
    for code, (kind, mention) in cases.items():
        rc, _, err = stride(code, d, timeout=60)
        assert rc == 1, f"{code}: no error"
        assert kind in err and mention in err, f"{code}: {err}"
    assert not marker.exists(), "the pickle ran a command"


def test_every_save_writes_the_format_its_name_says(d):
    """`.pth`/`.pt` are PyTorch checkpoints torch.load(weights_only=True) reads into the equivalent module (strict),
    `.safetensors` holds a tensor (key "tensor"), a dictionary or a model, `.npy` one tensor, `.npz` named tensors;
    any other name, and a model to `.npy`, is an error listing the formats."""
    ok("""
let m = Sequential(Conv2d(3, 4, kernel: 3, padding: 1), BatchNorm2d(4), ReLU(), Flatten(), Linear(4 * 5 * 5, 2))
m(randn(2, 3, 5, 5))
m.eval()
let x = randn(2, 3, 5, 5)
save(m, "m.pth")
save(m, "m.pt")
save(m, "m.safetensors")
save(m, "m.npz")
save(m(x), "y.npy")
save(x, "x.npy")
save(x, "x.pth")
save(x.double(), "x.safetensors")
save(x, "x.npz")
save(["w": randn(3, 2), "labels": arange(4)], "d.safetensors")
save(["w": randn(3, 2), "labels": arange(4)], "d.pth")
""", d)
    m = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(100, 2))
    for name in ("m.pth", "m.pt"):
        sd = torch.load(d / name, weights_only=True)
        assert list(sd) == list(m.state_dict()), name
        m.load_state_dict(sd, strict=True)
    m.eval()
    x = torch.tensor(np.load(d / "x.npy"))
    np.testing.assert_allclose(m(x).detach().numpy(), np.load(d / "y.npy"), rtol=1e-5, atol=1e-6)
    assert torch.equal(torch.load(d / "x.pth", weights_only=True), x)
    from safetensors.torch import load_file as load_torch
    t = load_torch(d / "x.safetensors")
    assert list(t) == ["tensor"] and t["tensor"].dtype == torch.float64
    assert set(load_torch(d / "m.safetensors")) == set(m.state_dict())
    assert set(np.load(d / "m.npz").files) == set(m.state_dict())
    assert np.load(d / "x.npz").files == ["tensor"]
    dd = torch.load(d / "d.pth", weights_only=True)
    assert dd["labels"].dtype == torch.int64 and dd["w"].shape == (3, 2)
    assert load_torch(d / "d.safetensors")["labels"].tolist() == [0, 1, 2, 3]
    for code, phrase in [('save(Linear(2, 2), "m.npy")', "holds one tensor"),
                         ('save(randn(2), "x.bin")', ".pth / .pt"), ('save(randn(2), "x")', "no extension"),
                         ('save(["a": 1], "d.npz")', "holds a Int"), ('save_image(rand(3, 4, 4), "x.jpg")', ".png")]:
        rc, out, err = stride(code, d)
        assert rc == 1 and phrase in err, (code, err)


def test_image_folder_size_crops_to_squares_and_converts_every_mode(d):
    """`size: n` gives n×n images (shorter side resized to n, the middle kept), `size: [h, w]` exactly h×w, and
    grey, RGBA and palette images become three channels, as torchvision's ImageFolder with Resize/CenterCrop."""
    rng = np.random.default_rng(5)
    (d / "imf" / "a").mkdir(parents=True)
    (d / "imf" / "b").mkdir(parents=True)
    Image.fromarray(rng.integers(0, 256, (9, 8, 3), dtype=np.uint8)).save(d / "imf" / "a" / "0.png")
    Image.fromarray(rng.integers(0, 256, (8, 16), dtype=np.uint8), "L").save(d / "imf" / "b" / "0.jpg")
    Image.fromarray(rng.integers(0, 256, (20, 12, 4), dtype=np.uint8), "RGBA").save(d / "imf" / "b" / "1.png")
    Image.fromarray(rng.integers(0, 256, (10, 10, 3), dtype=np.uint8)).quantize(8).save(d / "imf" / "b" / "2.png")
    ok("""
let (x, y, classes) = image_folder("imf", size: 6)
save(x, "square.npy")
save(y, "labels.npy")
let (x2, y2, c2) = image_folder("imf", size: [5, 7])
save(x2, "exact.npy")
print(classes)
""", d)
    assert np.load(d / "square.npy").shape == (4, 3, 6, 6)
    assert np.load(d / "exact.npy").shape == (4, 3, 5, 7)
    assert np.load(d / "labels.npy").tolist() == [0, 1, 1, 1]
    rc, out, err = stride('image_folder("imf")', d)
    assert rc == 1 and "size:" in err
