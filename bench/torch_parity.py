"""PyTorch side of bench/cnn_parity.sh: the reference network and loss (kanezaki_net.py),
trained on DIR/input.raw for ITERS iterations, either from UnSeg's initial parameters (DIR/p*.raw,
written by CnnParity.java; INIT = unseg) or from torch's own seeded initialisation (INIT = a seed).
Writes the label count and loss of every iteration to DIR/torch_INIT.txt.
    python3 bench/torch_parity.py DIR C ITERS INIT
"""
import sys

import numpy as np
import torch

from kanezaki_net import Net, loss as reference_loss

d_, C, iters, init = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.set_num_threads(2)
D, H, W = map(int, open(f"{d_}/shape.txt").read().split())
x = torch.from_numpy(np.fromfile(f"{d_}/input.raw", dtype="<f4").reshape(1, D, H, W))

if init != "unseg":
    torch.manual_seed(int(init))
net = Net(D, C)
if init == "unseg":
    def raw(i):
        return torch.from_numpy(np.fromfile(f"{d_}/p{i}.raw", dtype="<f4"))
    with torch.no_grad():
        for j, (conv, bn, k, cin) in enumerate([(net.convs[0], net.bns[0], 3, D), (net.convs[1], net.bns[1], 3, C),
                                                (net.last, net.last_bn, 1, C)]):
            # UnSeg keeps kernels as YXIO (k, k, in, out); PyTorch as (out, in, k, k)
            conv.weight.copy_(raw(4 * j).reshape(k, k, cin, C).permute(3, 2, 0, 1))
            conv.bias.copy_(raw(4 * j + 1))
            bn.weight.copy_(raw(4 * j + 2))
            bn.bias.copy_(raw(4 * j + 3))
net.train()
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
out = []
for it in range(iters):
    opt.zero_grad()
    r = net(x)[0]
    target = r.argmax(0)
    n = len(torch.unique(target))
    loss = reference_loss(r, target, 1.0)
    loss.backward()
    opt.step()
    out.append(f"{n} {loss.item()}")
open(f"{d_}/torch_{init}.txt", "w").write("\n".join(out) + "\n")
