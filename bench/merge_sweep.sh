#!/usr/bin/env bash
# The CNN's region merging swept on BSDS300 (skipped when absent): the network is trained once per
# image, then its labels are merged at every mergeThreshold x mergeTexture pair and evaluated as
# bench/quality.sh does (Kanezaki's protocol), so a grid costs one training per image.
#   bench/merge_sweep.sh
# Env: OPTS (the CNN's `unseg segment` options, e.g. "--preset photo"), TS (mergeThreshold values,
#      0.02,0.03,0.04), RELS (mergeTexture values, 0,0.75,1), SPLITS (splitScale values, 0), MINSIZE (minRegionSize values, 50),
#      LIMIT (20; 0 = all), OFFSET (skip that many first, e.g. those an earlier LIMIT chose on), ONLY (val | train: that split only), NOREFS (1: leave out the five
#      reference images, which quality.sh puts first), DATA (../shared/data).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
export DATA="${DATA:-$root/../shared/data}"
if [[ ! -f "$DATA/bsds/manifest.csv" ]]; then echo "BSDS: $DATA/bsds/manifest.csv absent, skipped"; exit 0; fi
run_java_bench 8g MergeSweep.java
