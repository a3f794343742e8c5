#!/usr/bin/env bash
# The study behind the README's 3D CNN notes: worst region IoU of the 3D net (3x3x1, 3x3x3) and the
# 2D net over CNN seeds on synthetic volumes, and 2D / 3D scribbles over seeds (about 2 minutes).
#   bench/cnn3d_study.sh [volumes|scribbles|all]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
cp=$(unseg_classpath)
# The synthetic volumes are the unit tests' (io.github.unseg.Synthetic).
(cd "$root" && mvn -B -q -o test-compile >/dev/null)
OMP_NUM_THREADS=2 java -Xmx8g -Djava.awt.headless=true -cp "$cp:$root/target/test-classes" \
  "$root/bench/Cnn3dStudy.java" "${1:-all}"
