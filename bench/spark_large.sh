#!/usr/bin/env bash
# One large image: `unseg segment --model` on the whole image vs spark-segment in blocks (time,
# peak memory, identical labels). Uses only the shipped sample (an N x N mosaic of it).
#   bench/spark_large.sh            # 16 x 16 tiles = 8192 x 8192, blocks of 2048
# Env: TILES (16), BLOCK (2048), OUT (target/bench-spark-large)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
TILES="${TILES:-16}" BLOCK="${BLOCK:-2048}" OUT="${OUT:-$root/target/bench-spark-large}"
cp=$(unseg_classpath)
"$root/scripts/unseg" spark-segment --help >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT"
java -Xmx8g -Djava.awt.headless=true -cp "$cp" "$root/bench/SparkLarge.java" mosaic "$root/samples/dsb2018_nuclei.tif" "$TILES" "$OUT/mosaic.tif"
echo "image: $(( TILES * 512 )) x $(( TILES * 512 )) 16-bit, $(du -h "$OUT/mosaic.tif" | cut -f1); $(nproc) cores"
"$root/scripts/unseg" segment --quiet --method kmeans --n-clusters 3 --smoothing 1 --fit-on "$root/samples/dsb2018_nuclei.tif" --save-model "$OUT/km.json" >/dev/null
/usr/bin/time -f "  whole image, unseg segment --model: %e s, peak RSS %M KB" \
  "$root/scripts/unseg" segment --quiet --model "$OUT/km.json" "$OUT/mosaic.tif" --labels "$OUT/whole.tif" >/dev/null
/usr/bin/time -f "  blocks, spark-segment --objects: %e s, peak RSS %M KB" \
  "$root/scripts/unseg" spark-segment --quiet --model "$OUT/km.json" --input "$OUT/mosaic.tif" --block-size "$BLOCK" --objects --output "$OUT/blocks"
/usr/bin/time -f "  blocks, spark-segment --objects --stitch: %e s, peak RSS %M KB" \
  "$root/scripts/unseg" spark-segment --quiet --model "$OUT/km.json" --input "$OUT/mosaic.tif" --block-size "$BLOCK" --objects --stitch --output "$OUT/stitched"
java -Xmx8g -Djava.awt.headless=true -cp "$cp" "$root/bench/SparkLarge.java" compare "$OUT/whole.tif" "$OUT/stitched/labels.tif"
