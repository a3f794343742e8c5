#!/usr/bin/env bash
# K-means and GMM: UnSeg vs scikit-learn on the same pixels in one run, with ratios.
#   bench/cluster_bench.sh [IMAGE]
# IMAGE defaults to ../shared/data/bench/tile2048.png (2048x2048 RGB) when present, else the
# shipped sample. Needs Debian's python3-sklearn (installed if missing and we are root).
# Env: KM_K (8), KM_NINIT (3), GMM_K (5), REPEATS (10 seeds for K-means; GMM runs once, seed 0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
img="${1:-}"
if [[ -z "$img" ]]; then
  img="$root/../shared/data/bench/tile2048.png"
  [[ -f "$img" ]] || img="$root/samples/dsb2018_nuclei.tif"
fi
source "$root/bench/common.sh"
needs_python "sklearn, threadpoolctl" python3-sklearn
export REPEATS="${REPEATS:-10}"
out="$root/target/bench/cluster"
mkdir -p "$out"
cp=$(unseg_classpath)
echo "image: $img; $(nproc) cores; $(java -version 2>&1 | head -1)"
java -Xmx12g -Djava.awt.headless=true -cp "$cp" "$root/bench/ClusterBench.java" "$img" "$out" >/dev/null
/usr/bin/python3 "$root/bench/sklearn_bench.py" "$out"
