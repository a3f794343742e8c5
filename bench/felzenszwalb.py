#!/usr/bin/python3
"""scikit-image's felzenszwalb on BSDS300 images, labels written as 16-bit PNGs for UnSeg's evaluator.

usage: felzenszwalb.py DATA OUT_DIR [SCALES]   (SCALES: comma-separated, default 100,300,1000)
Writes OUT_DIR/<scale>/<id>.png (labels 1..n) and OUT_DIR/<scale>/seconds.txt (total seconds).
sigma 0.8, min_size 50 as the issue's protocol asks.
"""
import csv, os, sys, time
import numpy as np
from skimage import io
from skimage.segmentation import felzenszwalb

data, out = sys.argv[1], sys.argv[2]
scales = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else "100,300,1000").split(",")]
rows = [r for r in csv.DictReader(open(os.path.join(data, "bsds", "manifest.csv")))]
for scale in scales:
    d = os.path.join(out, str(scale))
    os.makedirs(d, exist_ok=True)
    total = 0.0
    for r in rows:
        img = io.imread(os.path.join(data, "bsds", "images", r["split"], r["id"] + ".jpg"))
        t0 = time.perf_counter()
        lab = felzenszwalb(img, scale=scale, sigma=0.8, min_size=50)
        total += time.perf_counter() - t0
        io.imsave(os.path.join(d, r["id"] + ".png"), (lab + 1).astype(np.uint16), check_contrast=False)
    with open(os.path.join(d, "seconds.txt"), "w") as f:
        f.write("%.6f %d\n" % (total, len(rows)))
