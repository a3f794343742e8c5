#!/usr/bin/env bash
# Time per training iteration of the unsupervised CNN: UnSeg (ND4J, oneDNN) vs the reference
# method in PyTorch (Debian python3-torch), same image, same settings (nConv=2, C=100 and C=32),
# 2 threads each, in one run. Image: BSDS 3096 (321x481) from ../shared/data when present.
#   bench/cnn_bench.sh [IMAGE] [ITERS]   (env ROUNDS: rounds of both programs, default 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
img="${1:-$root/../shared/data/bsds/images/val/3096.jpg}"
[[ -f "$img" ]] || img="$root/samples/dsb2018_nuclei.tif"
iters="${2:-10}"
source "$root/bench/common.sh"
needs_python "torch, skimage" python3-torch python3-skimage
cp=$(unseg_classpath)
rounds="${ROUNDS:-3}"
echo "image: $img; $(nproc) cores; median of $iters iterations after 3 warm-up; $rounds round(s), UnSeg then PyTorch in each"
for c in 100 32; do
  ratios=()
  for ((r = 1; r <= rounds; r++)); do
    u=$(OMP_NUM_THREADS=2 java -Xmx8g -Djava.awt.headless=true -cp "$cp" "$root/bench/CnnBench.java" "$img" "$c" "$iters" | grep UNSEG)
    t=$(/usr/bin/python3 "$root/bench/torch_reference.py" "$img" "$c" "$iters" 2 | grep TORCH)
    echo "$u"; echo "$t"
    um=$(sed -E 's/.*median ([0-9.]+) ms.*/\1/' <<< "$u"); tm=$(sed -E 's/.*median ([0-9.]+) ms.*/\1/' <<< "$t")
    ratios+=("$(python3 -c "print(f'{$um/$tm:.2f}')")")
  done
  # this machine's speed drifts between runs: the rounds interleave the two programs, and the
  # median ratio is the figure
  python3 -c "import statistics as s; r=[float(x) for x in '${ratios[*]}'.split()]; print(f'C=$c: UnSeg/PyTorch time per iteration = {s.median(r):.2f}x (rounds: {\", \".join(f\"{x:.2f}\" for x in r)}; target <= 1.0x)')"
done
