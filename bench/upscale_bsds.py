#!/usr/bin/python3
"""A BSDS copy at a larger size, for how settings chosen on 481 x 321 photos fare on larger ones.

    /usr/bin/python3 bench/upscale_bsds.py ../shared/data OUT [SPLIT] [COUNT] [FACTOR]

writes OUT/bsds/{images,gt}/SPLIT and OUT/bsds/manifest.csv for the first COUNT images of SPLIT
(default val, 20, factor 2) that are not among the five reference images, in manifest order (what
`ONLY=SPLIT NOREFS=1 LIMIT=COUNT bench/quality.sh` takes from the original): photos upscaled
bicubically, annotations by repeating pixels. Then `DATA=OUT ONLY=SPLIT NOREFS=1 LIMIT=COUNT
bench/quality.sh`. Needs Debian's python3-pil and python3-numpy.
"""
import csv
import os
import sys

import numpy as np
from PIL import Image

REFS = {"25098", "35058", "22090", "23025", "3096"}


def main():
    data, out = sys.argv[1], sys.argv[2]
    split = sys.argv[3] if len(sys.argv) > 3 else "val"
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    f = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    src = os.path.join(data, "bsds")
    with open(os.path.join(src, "manifest.csv")) as fh:
        rows = list(csv.reader(fh))
    chosen = [r for r in rows[1:] if r[1] == split and r[0] not in REFS][:count]
    for sub in ("images", "gt"):
        os.makedirs(os.path.join(out, "bsds", sub, split), exist_ok=True)
    with open(os.path.join(out, "bsds", "manifest.csv"), "w") as man:
        man.write(",".join(rows[0]) + "\n")
        for r in chosen:
            im = Image.open(os.path.join(src, "images", split, r[0] + ".jpg"))
            w, h = im.size
            im.resize((f * w, f * h), Image.BICUBIC).save(os.path.join(out, "bsds", "images", split, r[0] + ".jpg"), quality=95)
            for a in range(1, int(r[4]) + 1):
                g = np.array(Image.open(os.path.join(src, "gt", split, "%s_%d.png" % (r[0], a))))
                Image.fromarray(np.repeat(np.repeat(g, f, 0), f, 1)).save(os.path.join(out, "bsds", "gt", split, "%s_%d.png" % (r[0], a)))
            man.write(",".join([r[0], r[1], str(f * int(r[2])), str(f * int(r[3]))] + r[4:]) + "\n")
    print("%d images of %s at %dx -> %s" % (len(chosen), split, f, out))


if __name__ == "__main__":
    main()
