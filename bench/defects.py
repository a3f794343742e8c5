#!/usr/bin/env python3
"""Defects of real images, on the shipped sample. Padding: a drift-corrected time-lapse as a
registration leaves it: the sample (and its nuclei's ids) shifted in five frames by up to 50 pixels, the uncovered edges 0 (whole rows and columns, as ImageJ's translation
registrations and drift corrections pad), its mask shifted alike. Each method runs with the
padding left out (the default, maskPadding) and kept (--mask-padding=false); each frame is scored
against its mask: foreground IoU, F1@0.5 (objects matched at IoU 0.5, objects under 20 px
dropped), precision and recall, their mean over the five frames and the lowest frame. Hot pixels:
the sample with five pixels at 65535 (a camera's hot pixels, a cosmic ray's), each method with the
outliers clipped (the default, clipOutliers), kept (--clip-outliers=false), and on the sample
without them. Bleaching: a time-lapse of five frames, 5 + f x the sample with f = 1, 0.75, 0.55,
0.40, 0.30 (the signal fading, a camera offset of 5 that does not), each method with one model for
the stack (the default) and one per frame (--per-slice), scored per frame as for padding.
Rotation: a rigid-body registration's corners, the sample rotated by 3, 7 and 15 degrees about its
centre (bilinear, 0 where nothing was; its mask alike, nearest), three frames, with the corners
left out (maskPadding) and kept, scored per frame as for padding. Stitching: two mosaics of the
sample's four quarters placed with offsets of up to 22 pixels on a 540 x 540 canvas of zeros
(notches along the edges, gaps between the tiles), left out and kept, as for rotation.
    /usr/bin/python3 bench/defects.py [OUTDIR]      (default target/defects; about 5 min)
Env: METHODS ("name: options; ..."; default: command 1, GMM k2, CNN + K-means k2, the CNN)."""
import os, subprocess, sys
import numpy as np
import tifffile
from scipy import ndimage

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target", "defects")
os.makedirs(out, exist_ok=True)
img = tifffile.imread(os.path.join(root, "samples", "dsb2018_nuclei.tif"))
mask = tifffile.imread(os.path.join(root, "samples", "dsb2018_nuclei_mask.tif"))
shifts = [(0, 0), (10, -20), (25, 15), (-30, 40), (45, -50)]


def shifted(a, dy, dx):
    b = np.zeros_like(a)
    h, w = a.shape
    b[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = a[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return b


stack = np.array([shifted(img, dy, dx) for dy, dx in shifts])
truth = np.array([shifted(mask, dy, dx) for dy, dx in shifts])
path = os.path.join(out, "drift.tif")
tifffile.imwrite(path, stack, imagej=True, metadata={"axes": "TYX"})


def objects(labels):
    """Objects of 20 px and more (the micro bench's rule), each as a boolean mask."""
    ids, counts = np.unique(labels[labels > 0], return_counts=True)
    return [labels == i for i, c in zip(ids, counts) if c >= 20]


def scores(pred, true_mask):
    fg_iou = ((pred > 0) & (true_mask > 0)).sum() / max(1, ((pred > 0) | (true_mask > 0)).sum())
    tl = true_mask   # the sample's mask holds one id per nucleus
    truths, preds = objects(tl), objects(pred)
    matched = 0
    for p in preds:
        hit = tl[p]
        hit = hit[hit > 0]
        if hit.size == 0:
            continue
        t = tl == np.bincount(hit).argmax()
        if (p & t).sum() / (p | t).sum() >= 0.5:
            matched += 1
    f1 = 2 * matched / max(1, len(preds) + len(truths))
    return fg_iou, f1, matched / max(1, len(preds)), matched / max(1, len(truths))


methods = os.environ.get("METHODS", "command 1: --method kmeans --n-clusters 3 --smoothing 1 --background subtract --refine-edges 4;"
                         " GMM k2: --method gmm --n-clusters 2; CKM k2: --method cnn-kmeans --n-clusters 2; CNN: --method cnn")
# the reference: each frame cut to its data (no padding at all), segmented alone
crops, crop_truth = os.path.join(out, "crops"), []
os.makedirs(crops, exist_ok=True)
for t, (dy, dx) in enumerate(shifts):
    h, w = img.shape
    ys, xs = slice(max(dy, 0), h + min(dy, 0)), slice(max(dx, 0), w + min(dx, 0))
    tifffile.imwrite(os.path.join(crops, f"frame{t + 1}.tif"), stack[t][ys, xs].copy())
    crop_truth.append(truth[t][ys, xs])
print("| method | padding | foreground IoU (lowest frame) | F1@0.5 (lowest frame) | precision / recall @0.5 |")
print("|---|---|---|---|---|")
for row in methods.split(";"):
    name, opts = row.split(":", 1)
    unseg = [os.path.join(root, "scripts", "unseg"), "segment"] + opts.split() + ["--objects", "--overwrite", "--quiet"]
    for how in ("left out", "kept", "none: each frame cut to its data"):
        if how.startswith("none"):
            labels = os.path.join(out, "crop_labels")
            subprocess.run(unseg + [crops, "--labels", labels], check=True, stdout=subprocess.DEVNULL)
            s = np.array([scores(tifffile.imread(os.path.join(labels, f"frame{t + 1}_labels.tif")), crop_truth[t]) for t in range(len(shifts))])
        else:
            labels = os.path.join(out, "labels.tif")
            subprocess.run(unseg + [path, "--labels", labels] + (["--mask-padding=false"] if how == "kept" else []), check=True, stdout=subprocess.DEVNULL)
            pred = tifffile.imread(labels)
            s = np.array([scores(pred[t], truth[t]) for t in range(len(shifts))])
        m, lo = s.mean(axis=0), s.min(axis=0)
        print(f"| {name.strip()} | {how} | {m[0]:.3f} ({lo[0]:.3f}) | {m[1]:.3f} ({lo[1]:.3f}) | {m[2]:.3f} / {m[3]:.3f} |")

# hot pixels: five at 65535 in the sample (16-bit, its own values 0-235)
hot = img.copy()
rng = np.random.default_rng(0)
for _ in range(5):
    hot[rng.integers(0, hot.shape[0]), rng.integers(0, hot.shape[1])] = 65535
hot_path, clean_path = os.path.join(out, "hot.tif"), os.path.join(root, "samples", "dsb2018_nuclei.tif")
tifffile.imwrite(hot_path, hot)
print()
print("| method | hot pixels | foreground IoU | F1@0.5 | precision / recall @0.5 |")
print("|---|---|---|---|---|")
for row in methods.split(";"):
    name, opts = row.split(":", 1)
    unseg = [os.path.join(root, "scripts", "unseg"), "segment"] + opts.split() + ["--objects", "--overwrite", "--quiet"]
    for how, path, extra in (("clipped", hot_path, []), ("kept", hot_path, ["--clip-outliers=false"]), ("none: the sample", clean_path, [])):
        labels = os.path.join(out, "hot_labels.tif")
        subprocess.run(unseg + [path, "--labels", labels] + extra, check=True, stdout=subprocess.DEVNULL)
        s = scores(tifffile.imread(labels), mask)
        print(f"| {name.strip()} | {how} | {s[0]:.3f} | {s[1]:.3f} | {s[2]:.3f} / {s[3]:.3f} |")


def stack_table(column, stack, truths, hows, name):
    """A table of every method with each (how, extra options) on a stack written to OUT/name,
    scored frame by frame against truths: the mean and the lowest frame."""
    path = os.path.join(out, name + ".tif")
    tifffile.imwrite(path, stack, imagej=True, metadata={"axes": "TYX"})
    print()
    print(f"| method | {column} | foreground IoU (lowest frame) | F1@0.5 (lowest frame) | precision / recall @0.5 |")
    print("|---|---|---|---|---|")
    for row in methods.split(";"):
        name_, opts = row.split(":", 1)
        unseg = [os.path.join(root, "scripts", "unseg"), "segment"] + opts.split() + ["--objects", "--overwrite", "--quiet"]
        for how, extra in hows:
            labels = os.path.join(out, name + "_labels.tif")
            subprocess.run(unseg + [path, "--labels", labels] + extra, check=True, stdout=subprocess.DEVNULL)
            pred = tifffile.imread(labels)
            s = np.array([scores(pred[t], truths[t]) for t in range(len(truths))])
            m, lo = s.mean(axis=0), s.min(axis=0)
            print(f"| {name_.strip()} | {how} | {m[0]:.3f} ({lo[0]:.3f}) | {m[1]:.3f} ({lo[1]:.3f}) | {m[2]:.3f} / {m[3]:.3f} |")


# bleaching: the signal fades over five frames, the camera's offset stays
fades = [1, 0.75, 0.55, 0.40, 0.30]
bleach = np.array([np.round(5 + f * img.astype(np.float64)) for f in fades]).astype(np.uint16)
stack_table("models", bleach, [mask] * len(fades), (("one for the stack", []), ("one per frame", ["--per-slice"])), "bleach")

# rotation: the corners a rigid-body registration leaves
angles = [3, 7, 15]
rot = np.array([np.round(ndimage.rotate(img.astype(np.float64), a, reshape=False, order=1, mode="constant", cval=0)) for a in angles]).astype(img.dtype)
rot_truth = [ndimage.rotate(mask, a, reshape=False, order=0, mode="constant", cval=0) for a in angles]
stack_table("corners", rot, rot_truth, (("left out", []), ("kept", ["--mask-padding=false"])), "rotated")

# stitching: tiles placed with offsets, zeros where no tile reaches (notches, gaps between tiles)
offsets = [[(6, 0), (0, 14), (20, 3), (12, 22)], [(0, 9), (15, 0), (4, 18), (22, 11)]]
mosaics, mosaic_truth = [], []
for offs in offsets:
    c, cm = np.zeros((540, 540), img.dtype), np.zeros((540, 540), mask.dtype)
    for (y0, x0), (dy, dx) in zip([(0, 0), (0, 256), (256, 0), (256, 256)], offs):
        c[y0 + dy:y0 + dy + 256, x0 + dx:x0 + dx + 256] = img[y0:y0 + 256, x0:x0 + 256]
        cm[y0 + dy:y0 + dy + 256, x0 + dx:x0 + dx + 256] = mask[y0:y0 + 256, x0:x0 + 256]
    mosaics.append(c)
    mosaic_truth.append(cm)
stack_table("gaps and notches", np.array(mosaics), mosaic_truth, (("left out", []), ("kept", ["--mask-padding=false"])), "mosaic")
