#!/usr/bin/env python3
"""Small nuclei on noise: 64 discs of radius 3 (29 px each), +60 over Gaussian noise (mean 30,
sd 6), on a 256 x 256 8-bit image, with their object labels: what command 1's edge refinement
must keep (objects thinner than twice its reach). Seeded: the same files every run.
    /usr/bin/python3 bench/small_nuclei.py OUTDIR   (writes small_nuclei.tif, small_nuclei_truth.tif)"""
import sys, os
import numpy as np
import tifffile

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)
img = rng.normal(30, 6, (256, 256))
yy, xx = np.mgrid[:256, :256]
truth = np.zeros((256, 256), np.uint16)
k = 0
for i in range(8):
    for j in range(8):
        cy, cx = 16 + i * 32 + rng.integers(-4, 5), 16 + j * 32 + rng.integers(-4, 5)
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 <= 9
        k += 1
        truth[disc] = k
        img[disc] += 60
tifffile.imwrite(os.path.join(out, "small_nuclei.tif"), np.clip(img, 0, 255).astype(np.uint8))
tifffile.imwrite(os.path.join(out, "small_nuclei_truth.tif"), truth)
