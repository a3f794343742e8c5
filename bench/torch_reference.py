"""The reference method of Kim, Kanezaki & Tanaka (TIP 2020) in PyTorch, written here for timing:
nConv conv3x3+ReLU+BN blocks, conv1x1+BN, loss = CE(response, argmax) + 1.0 * mean |dy| + mean |dx|,
SGD lr 0.1 momentum 0.9, image / 255.
Timing mode prints the median time of a training step:
    python3 bench/torch_reference.py IMAGE C ITERS [THREADS]
Segment mode runs the reference's loop and stopping rule (stop once the argmax has <= MIN_LABELS
labels, or after MAX_ITERS) and writes the final argmax, renumbered 1..n, as a 16-bit PNG:
    python3 bench/torch_reference.py --segment IMAGE OUT.png MAX_ITERS [MIN_LABELS] [THREADS]
"""
import os
import sys
import time

import numpy as np
import torch
from skimage import io

from kanezaki_net import Net, loss as reference_loss

start = time.perf_counter()
segment = sys.argv[1] == "--segment"
if segment:
    path, out, iters = sys.argv[2], sys.argv[3], int(sys.argv[4])
    min_labels = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    C = 100
    torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 2)
else:
    path, C, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 2)
torch.manual_seed(int(os.environ.get("SEED", "1")))  # SEED: other initialisations
im = io.imread(path).astype(np.float32)
if im.ndim == 2:
    im = im[:, :, None]
H, W, D = im.shape
x = torch.from_numpy((im / 255.0).transpose(2, 0, 1)[None].copy())


net = Net(D, C)
net.train()
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
times = []
n_labels = -1
for it in range(iters if segment else iters + 3):
    t0 = time.perf_counter()
    opt.zero_grad()
    r = net(x)[0]                                   # C x H x W
    target = r.argmax(0)
    n_labels = len(torch.unique(target))
    loss = reference_loss(r, target, 1.0)
    loss.backward()
    opt.step()
    if it >= 3:
        times.append((time.perf_counter() - t0) * 1000)
    if segment and n_labels <= min_labels:
        break
if segment:
    # As the reference: one more forward pass (training-mode BatchNorm) gives the final argmax.
    with torch.no_grad():
        lab = net(x)[0].argmax(0).numpy()
    _, lab = np.unique(lab, return_inverse=True)
    io.imsave(out, (lab.reshape(H, W) + 1).astype(np.uint16), check_contrast=False)
    print(f"TORCH SEGMENT {path}: {it + 1} iterations, {lab.max() + 1} labels, "
          f"{time.perf_counter() - start:.2f} s (incl. start-up), torch {torch.__version__}")
    sys.exit(0)
print(f"TORCH C={C} {H}x{W}: TRAIN median {np.median(times):.1f} ms/iter (min {min(times):.1f}), torch {torch.__version__}")
