"""The reference network and loss of Kim, Kanezaki & Tanaka (TIP 2020) in PyTorch, shared by
torch_reference.py and torch_parity.py: nConv conv3x3+ReLU+BN blocks, then conv1x1+BN; loss =
CE(response, argmax) + continuity * (mean |dy| + mean |dx|)."""
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, cin, c, n_conv=2):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(cin if i == 0 else c, c, 3, padding=1) for i in range(n_conv)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(n_conv)])
        self.last = nn.Conv2d(c, c, 1)
        self.last_bn = nn.BatchNorm2d(c)

    def forward(self, t):
        for conv, bn in zip(self.convs, self.bns):
            t = bn(F.relu(conv(t)))
        return self.last_bn(self.last(t))


def loss(r, target, continuity=1.0):
    """r: C x H x W responses, target: H x W pseudo-labels."""
    return F.cross_entropy(r[None], target[None]) \
        + continuity * ((r[:, 1:] - r[:, :-1]).abs().mean() + (r[:, :, 1:] - r[:, :, :-1]).abs().mean())
