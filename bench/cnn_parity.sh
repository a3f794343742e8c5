#!/usr/bin/env bash
# Is UnSeg's CNN the reference's? Both train on the same input (IMAGE / 255 at half size, as the
# reference reads it) with C = 100, nConv 2, loss CE + continuity (weight 1), SGD lr 0.1 momentum
# 0.9: UnSeg from seeds 1-3, PyTorch from UnSeg's seed-1 initial weights and from its own seeds
# 1-3. Prints the loss of the first iterations (same start: should agree to float precision) and
# the label counts at 100, 300 and ITERS iterations (the spread between seeds is the yardstick).
#   bench/cnn_parity.sh [IMAGE] [ITERS]      (default BSDS 3096, 1000; about 40 minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
img="${1:-$root/../shared/data/bsds/images/val/3096.jpg}"
[[ -f "$img" ]] || img="$root/samples/dsb2018_nuclei.tif"
iters="${2:-1000}"
source "$root/bench/common.sh"
needs_python "torch, skimage" python3-torch python3-skimage
cp=$(unseg_classpath)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$img" "$dir" <<'PY'
import sys, numpy as np
from skimage import io, transform
im = io.imread(sys.argv[1]).astype(np.float32)
im = im / (255.0 if im.max() <= 255 else im.max())
if im.ndim == 2: im = im[:, :, None]
im = transform.resize(im, (im.shape[0] // 2, im.shape[1] // 2), anti_aliasing=True).astype(np.float32)
np.ascontiguousarray(im.transpose(2, 0, 1)).astype("<f4").tofile(f"{sys.argv[2]}/input.raw")
open(f"{sys.argv[2]}/shape.txt", "w").write("%d %d %d\n" % (im.shape[2], im.shape[0], im.shape[1]))
PY
echo "image: $img at half size ($(cat "$dir/shape.txt") C H W); C = 100; $iters iterations; 2 threads each"
for s in 3 2 1; do  # seed 1 last: its p*.raw are UnSeg's seed-1 initial weights
  OMP_NUM_THREADS=2 java -Xmx8g -Djava.awt.headless=true -cp "$cp" "$root/bench/CnnParity.java" "$dir" 100 "$iters" "$s"
done
for init in unseg 1 2 3; do /usr/bin/python3 "$root/bench/torch_parity.py" "$dir" 100 "$iters" "$init"; done
echo "loss, iterations 1-5: UnSeg seed 1 | PyTorch from UnSeg's seed-1 weights"
paste -d' ' <(head -5 "$dir/unseg_1.txt" | cut -d' ' -f2) <(head -5 "$dir/torch_unseg.txt" | cut -d' ' -f2) | sed 's/^/  /'
row() { awk -v n="$iters" 'NR==100||NR==300||NR==n{printf " %s", $1}' "$1"; }
for s in 1 2 3; do echo "labels at 100/300/$iters: UnSeg seed $s:$(row "$dir/unseg_$s.txt")"; done
echo "labels at 100/300/$iters: PyTorch from UnSeg's seed-1 weights:$(row "$dir/torch_unseg.txt")"
for s in 1 2 3; do echo "labels at 100/300/$iters: PyTorch seed $s:$(row "$dir/torch_$s.txt")"; done
