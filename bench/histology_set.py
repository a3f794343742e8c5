#!/usr/bin/env python3
"""Turns H&E tiles with nucleus outlines drawn as polygons (XML, one <Shape> per nucleus with its
<Point X= Y=> list; the GBM40 set of github.com/pengyzhang/cell_seg_matlab, data/GBM40: 40 tiles of
512 x 512, raw_image/NN.tif and contour_annotation_xml/NN_data.xml) into a set that bench/micro.sh
reads: OUT/micro/<set>/images, OUT/micro/<set>/labels (16-bit instance labels) and
OUT/micro/manifest.csv. The data is not ours to ship: point this at a local copy.
    /usr/bin/python3 bench/histology_set.py SRC_DIR OUT [SET_NAME]
SRC_DIR holds NN.tif and NN_data.xml side by side (or raw_image/ and contour_annotation_xml/)."""
import os, re, sys, shutil
import numpy as np
from PIL import Image, ImageDraw

src, out = sys.argv[1], sys.argv[2]
name = sys.argv[3] if len(sys.argv) > 3 else "gbm40"
img_dir = os.path.join(src, "raw_image") if os.path.isdir(os.path.join(src, "raw_image")) else src
xml_dir = os.path.join(src, "contour_annotation_xml") if os.path.isdir(os.path.join(src, "contour_annotation_xml")) else src
os.makedirs(os.path.join(out, "micro", name, "images"), exist_ok=True)
os.makedirs(os.path.join(out, "micro", name, "labels"), exist_ok=True)
rows = []
for f in sorted(os.listdir(img_dir)):
    stem, ext = os.path.splitext(f)
    xml = os.path.join(xml_dir, stem + "_data.xml")
    if ext.lower() not in (".tif", ".tiff", ".png") or not os.path.isfile(xml):
        continue
    img = Image.open(os.path.join(img_dir, f))
    w, h = img.size
    lab = Image.new("I", (w, h), 0)   # 32-bit while drawing, saved as 16-bit
    draw = ImageDraw.Draw(lab)
    text = open(xml, encoding="utf-8-sig", errors="replace").read()
    n = 0
    for shape in re.findall(r"<Points>(.*?)</Points>", text, re.S):
        pts = [(float(x), float(y)) for x, y in re.findall(r'X="([-0-9.eE]+)"\s+Y="([-0-9.eE]+)"', shape)]
        if len(pts) < 3:
            continue
        n += 1
        draw.polygon(pts, fill=n, outline=n)
    a = np.asarray(lab, dtype=np.int64).astype(np.uint16)
    Image.fromarray(a).save(os.path.join(out, "micro", name, "labels", stem + ".png"))
    shutil.copy(os.path.join(img_dir, f), os.path.join(out, "micro", name, "images", f))
    rows.append(f"{name},{name}/images/{f},{name}/labels/{stem}.png,instance (polygons),{w},{h},uint8,uint16,{len(np.unique(a)) - 1}")
with open(os.path.join(out, "micro", "manifest.csv"), "w") as m:
    m.write("set,image,label,label_kind,width,height,image_dtype,label_dtype,n_objects\n")
    m.write("\n".join(rows) + "\n")
print(f"{len(rows)} images -> {out}/micro/{name}")
