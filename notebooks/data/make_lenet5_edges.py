"""Makes lenet5-edges.pth, the PyTorch checkpoint notebook 09 loads: LeNet-5 (the layout of Stride's LeNet5(),
so the state-dict names match) with its first convolution set to six classic 5x5 filters (vertical and
horizontal edges, two diagonals, a centre-surround blob and a blur), the rest random. Saved by
torch.save(model.state_dict(), ...), as a user's own checkpoint would be. Run: python make_lenet5_edges.py"""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(),
                      nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                      nn.Linear(84, 10))
r = torch.arange(5.0) - 2
vertical = r.repeat(5, 1) / 10
diag = (r[None, :] + r[:, None]) / 10
dist = (r[None, :] ** 2 + r[:, None] ** 2).sqrt()
blob = torch.where(dist < 1.5, 1.0, -0.35) / 5
blur = torch.exp(-dist ** 2 / 2)
filters = torch.stack([vertical, vertical.T, diag, diag.flip(1), blob, blur / blur.sum() * 2])
with torch.no_grad():
    model[0].weight.copy_(filters[:, None])
    model[0].bias.zero_()
torch.save(model.state_dict(), "lenet5-edges.pth")
