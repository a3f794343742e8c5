#!/usr/bin/python3
"""Each object's outline contrast against the truth: which objects a --min-outline-contrast limit drops.

Runs one UnSeg command (default command 1) on every image of ../shared/data/micro with
--measurements, matches each object (20 px and more) to the truth object it overlaps most
(IoU >= 0.5: matched), and prints per set the matched and unmatched objects' lowest / 5th / 25th
percentile / median figure and how many of each fall below 1.5, 2, 2.5 and 3.
  /usr/bin/python3 bench/outline_contrast_objects.py [OUT]     (Debian's python: numpy, tifffile, PIL)
Env: DATA (../shared/data), OPTIONS (the segment options; default command 1's).
"""
import csv, os, subprocess, sys
import numpy as np, tifffile
from PIL import Image

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.environ.get('DATA', os.path.join(root, '..', 'shared', 'data'))
micro = os.path.join(data, 'micro')
options = os.environ.get('OPTIONS', '--method kmeans --n-clusters 3 --smoothing 1 --background subtract --objects --refine-edges 4').split()
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'target', 'outline-contrast-objects')
if not os.path.exists(os.path.join(micro, 'manifest.csv')):
    print('no', micro, '(skipped)')
    sys.exit(0)
rows = list(csv.DictReader(open(os.path.join(micro, 'manifest.csv'))))
sets = []
for r in rows:
    if r['set'] not in sets: sets.append(r['set'])
for s in sets:   # one batch per set: the images' labels and measurements
    os.makedirs(os.path.join(out, s), exist_ok=True)
    subprocess.run([os.path.join(root, 'scripts', 'unseg'), 'segment'] + options + [os.path.join(micro, s, 'images'),
                    '--labels', os.path.join(out, s), '--measurements', os.path.join(out, s), '--quiet', '--overwrite'],
                   check=True, stdout=subprocess.DEVNULL)
figures = {}
for r in rows:
    s, lab = r['set'], r['label'].replace('masks_binary/', 'labels_cc/').replace('label_3class.png', 'label_cc.png')
    name = os.path.splitext(os.path.basename(r['image']))[0]
    L = tifffile.imread(os.path.join(out, s, name + '_labels.tif')).astype(np.int64)
    T = np.array(Image.open(os.path.join(micro, lab))).astype(np.int64)   # PIL: the LZW TIFFs too
    if T.ndim > 2: T = T[..., 0]
    nL, nT = L.max() + 1, T.max() + 1
    inter = np.bincount((L * nT + T).ravel(), minlength=nL * nT).reshape(nL, nT)
    sizeL, sizeT = inter.sum(1), inter.sum(0)
    for m in csv.DictReader(open(os.path.join(out, s, name + '_measurements.csv'))):
        i, c = int(m['label']), float(m['outline_contrast'])
        if sizeL[i] < 20 or nT < 2 or np.isnan(c): continue
        j = inter[i, 1:].argmax() + 1
        iou = inter[i, j] / (sizeL[i] + sizeT[j] - inter[i, j])
        figures.setdefault(s, []).append((c, iou >= 0.5))
print('options:', ' '.join(options))
print('| set | matched | lowest / p5 / p25 / median | unmatched | lowest / p5 / p25 / median | below 1.5 | below 2 | below 2.5 | below 3 |')
print('|---|---|---|---|---|---|---|---|---|')
for s in sets:
    v = figures.get(s, [])
    tp = np.array([c for c, t in v if t]); fp = np.array([c for c, t in v if not t])
    q = lambda a: ' / '.join('%.1f' % x for x in np.percentile(a, [0, 5, 25, 50])) if len(a) else '-'
    below = ['%d / %d' % ((tp < th).sum(), (fp < th).sum()) for th in (1.5, 2, 2.5, 3)]
    print('| %s | %d | %s | %d | %s | %s |' % (s, len(tp), q(tp), len(fp), q(fp), ' | '.join(below)))
print('(below X: matched / unmatched objects under X)')
