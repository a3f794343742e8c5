#!/usr/bin/env bash
# The dialog's preview on a stack (bench/PreviewTime.java): the first slice shown (the fit the run
# makes) and the next ones (labelled with that fit), for K-means, GMM, the CNN and CNN + K-means:
#   bench/preview_time.sh [IMAGE]     # no IMAGE: a synthetic 40-slice 1024 x 1024 stack
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
run_java_bench 8g PreviewTime.java "$@"
