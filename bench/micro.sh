#!/usr/bin/env bash
# Microscopy objects: UnSeg's methods with object labels vs ImageJ's Otsu, Li and Triangle
# thresholds with the same post-processing, on ../shared/data/micro (skipped when absent).
#   bench/micro.sh
# Env: METHODS ("name: options; name: options"), OBJECTS (object options for every row),
#      MIN_SIZE (20), VERBOSE (1: each image's figures on stderr), SETS (e.g. ctc_gowt1,nih3t3), DATA (../shared/data).
# A colour image (H&E) reaches UnSeg's rows as RGB, the thresholds as grey; dark objects want
# OBJECTS="... --foreground darkest". bench/histology_set.py makes such a set (DATA=its OUT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
run_java_bench 8g MicroBench.java
