#!/usr/bin/env bash
# Quality table of every UnSeg method on the data in ../shared/data (skips what is absent).
#   bench/quality.sh            # all 300 BSDS images + microscopy sets
#   LIMIT=20 bench/quality.sh   # the 5 reference images + 15 more
# Env: K (4 clusters on BSDS), COORD (0), MICRO (1), BSDS (1), DATA (../shared/data),
#      METHODS (gmm,kmeans,gmm-kmeans; add cnn,cnn-kmeans), LIMIT (0 = all 300 images),
#      ONLY=val (the five reference images and the val split's 100 only; ONLY=train: its 200),
#      NOREFS=1 (leave the five out), OFFSET=N (skip the first N, e.g. those a LIMIT chose on),
#      METHODS entries may name a cluster count, e.g. gmm@3,kmeans@5; FELZ=DIR adds the labels
#      that bench/felzenszwalb.py wrote there (felzenszwalb-100, -300, -1000); VERBOSE=1 prints a
#      line per image (labels, regions, PRI, VoI, covering, the model's summary).
#      UNSEG_OPTS: any `unseg segment` options, one setting for all images (e.g.
#      UNSEG_OPTS="--continuity-weight 5 --n-channels 32"); the older CNN_C, CNN_ITERS,
#      CNN_MIN_LABELS, CNN_CON, CNN_TP and SMOOTH still work.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
run_java_bench 8g QualityBench.java
