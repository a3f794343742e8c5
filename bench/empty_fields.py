#!/usr/bin/env python3
"""Fields without cells, 512 x 512, seeded (the same files every run): what a segmentation cuts
out of them is noise. White noise: Gaussian 8-bit (mean 30, sd 8) and 16-bit (mean 1000, sd 40),
Poisson at 3 counts, Poisson on a textured background (a smooth +-20 % pattern at 60 counts) and
on a vignetted one (60 counts in the middle, 30 at the corners); smooth textures: Gaussian noise
smoothed at sigma 1.5 and 3 (+ white noise), as a background of debris or out-of-focus haze.
    /usr/bin/python3 bench/empty_fields.py OUTDIR   (writes OUTDIR/white/*.tif, OUTDIR/texture/*.tif)"""
import sys, os
import numpy as np
import tifffile
from scipy import ndimage as ndi

out = sys.argv[1] if len(sys.argv) > 1 else "."
for sub in ("white", "texture"):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
rng = np.random.default_rng(11)
n = 512
yy, xx = np.mgrid[:n, :n] / (n - 1.0)
def save(sub, name, a, dtype):
    info = np.iinfo(dtype)
    tifffile.imwrite(os.path.join(out, sub, name + ".tif"), np.clip(np.round(a), info.min, info.max).astype(dtype))
save("white", "gauss8", rng.normal(30, 8, (n, n)), np.uint8)
save("white", "gauss16", rng.normal(1000, 40, (n, n)), np.uint16)
save("white", "poisson3", rng.poisson(3.0, (n, n)), np.uint8)
pattern = 60 * (1 + 0.2 * np.sin(2 * np.pi * 3 * xx) * np.cos(2 * np.pi * 2 * yy))
save("white", "poisson_texture", rng.poisson(pattern), np.uint8)
vignette = 30 + 30 * (1 - ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) / 0.5)
save("white", "poisson_vignette", rng.poisson(vignette), np.uint8)
for s in (1.5, 3):
    t = ndi.gaussian_filter(rng.normal(0, 1, (n, n)), s)
    save("texture", "smooth%g" % s, 100 + 8 * t / t.std() + rng.normal(0, 3, (n, n)), np.uint8)
