#!/usr/bin/env bash
# DRIVE retinal vessels: UnSeg (vessels = the darkest cluster) vs ImageJ's Otsu and Li, inside the FOV.
# (skipped when ../shared/data/medical/drive is absent)
#   bench/drive.sh
# Env: METHODS ("name: unseg segment options; ..."), GRID=1 (48 K-means settings and a two-fold
#      cross-validation over them instead), DATA (../shared/data), SAVE (a folder: keep
#      each image's green input and every row's labels there, to look at).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
run_java_bench 8g DriveBench.java
