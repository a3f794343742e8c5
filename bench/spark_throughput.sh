#!/usr/bin/env bash
# Throughput of spark-segment on local[1] and local[2] against the plain `unseg segment` loop
# (one JVM, one core) on the same folder, with the same saved model; two such loops in separate JVMs
# on halves of the folder (what two cores give without sharing a JVM); the per-task overhead; the
# rate over the second half of the folder (whole folder minus a run on its first half: past the
# JVM's warm-up); and a projection to 100,000 images on 10 / 100 executors. Skips what
# ../shared/data lacks.
#   bench/spark_throughput.sh                  # all 300 BSDS300 photos (val, then train), K-means and the CNN
#   N=100 bench/spark_throughput.sh            # the 100 val photos
#   REPEAT=4 METHODS=kmeans bench/spark_throughput.sh   # each photo linked 4 times: 1,200 files, a run long past the start
#   ROUNDS=3 ...                               # then two more rounds of plain loop, local[1], local[2] in turn: medians
# Env: DATA (../shared/data), METHODS (kmeans,cnn), N (300 images), REPEAT (1), ROUNDS (1), OUT (target/bench-spark)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${DATA:-$root/../shared/data}"
N="${N:-300}"
OUT="${OUT:-$root/target/bench-spark}"
METHODS="${METHODS:-kmeans,cnn}"
REPEAT="${REPEAT:-1}"
ROUNDS="${ROUNDS:-1}"
src="$DATA/bsds/images"
if [[ ! -d "$src/val" ]]; then echo "spark bench: $src/val absent, skipped"; exit 0; fi
rm -rf "$OUT" && mkdir -p "$OUT/in"
{ ls "$src"/val/*.jpg | sort; ls "$src"/train/*.jpg 2>/dev/null | sort; } | sed -n "1,${N}p" | xargs -I{} cp {} "$OUT/in/"   # sed, not head: pipefail
if (( REPEAT > 1 )); then   # NAME_k.jpg -> the copy, k = 1..REPEAT (each file labelled anew)
  mv "$OUT/in" "$OUT/src" && mkdir "$OUT/in"
  for f in "$OUT"/src/*.jpg; do b=$(basename "$f" .jpg); for ((k = 1; k <= REPEAT; k++)); do ln -s "$f" "$OUT/in/${b}_$k.jpg"; done; done
fi
n=$(ls "$OUT/in" | wc -l)
first=$(ls "$OUT/in"/*.jpg | sed -n 1p)
mkdir -p "$OUT/one" && cp "$first" "$OUT/one/"
mkdir -p "$OUT/half1" "$OUT/half2"
ls "$OUT/in"/*.jpg | awk -v n="$n" 'NR <= n / 2' | xargs -I{} ln -s {} "$OUT/half1/"
ls "$OUT/in"/*.jpg | awk -v n="$n" 'NR > n / 2' | xargs -I{} ln -s {} "$OUT/half2/"
"$root/scripts/unseg" options >/dev/null           # build both jars before timing anything
"$root/scripts/unseg" spark-segment --help >/dev/null
now() { date +%s.%N; }   # each timed run starts after a sync: the outputs of the run before (forced to disk file by file) must not be flushed in its time
# run KIND OUTPUT [NAME]: the plain loop on one core (one Java thread and one ND4J (OpenMP) thread,
# as each Spark task), local[1] or local[2] over the folder; with NAME, its user + system seconds
# go to $OUT/cpu-NAME
run() {
  local timer=(); [[ -n "${3:-}" ]] && timer=(/usr/bin/time -f '%U %S' -o "$OUT/cpu-$3")
  case $1 in
    plain) OMP_NUM_THREADS=1 ${timer[@]+"${timer[@]}"} "$root/scripts/unseg" segment --quiet --threads 1 --model "$model" "$OUT/in" --labels "$2" ;;
    l1) ${timer[@]+"${timer[@]}"} "$root/scripts/unseg" spark-segment --quiet --master 'local[1]' --model "$model" --input "$OUT/in" --output "$2" ;;
    l2) ${timer[@]+"${timer[@]}"} "$root/scripts/unseg" spark-segment --quiet --master 'local[2]' --model "$model" --input "$OUT/in" --output "$2" ;;
  esac >/dev/null
}
cores() { awk -v w="$2" '{ printf "%.2f", ($1 + $2) / w }' "$OUT/cpu-$1"; }   # CPU time / wall time
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | sed -n 1p)"
echo "images: $n files: BSDS300 photos (481x321, val first)$( (( REPEAT > 1 )) && echo ", each linked $REPEAT times"), one model per method fitted on $(basename "$first")"
for m in ${METHODS//,/ }; do
  case "$m" in
    kmeans) fit=(--method kmeans --n-clusters 5 --smoothing 1) ;;
    cnn) fit=(--method cnn) ;;
    *) fit=(--method "$m") ;;
  esac
  model="$OUT/$m.json"
  "$root/scripts/unseg" segment --quiet "${fit[@]}" --fit-on "$first" --save-model "$model" >/dev/null
  sync; t0=$(now); run plain "$OUT/$m-plain" "$m-plain"; t1=$(now)
  plain=$(echo "$t1 - $t0" | bc -l)
  # and at its defaults (both cores), for reference
  sync; t0=$(now); "$root/scripts/unseg" segment --quiet --model "$model" "$OUT/in" --labels "$OUT/$m-plain2" >/dev/null; t1=$(now)
  plain2=$(echo "$t1 - $t0" | bc -l)
  # the machine's own ceiling for two one-core workers: two plain loops in separate JVMs, each on half
  sync; t0=$(now)
  OMP_NUM_THREADS=1 "$root/scripts/unseg" segment --quiet --threads 1 --model "$model" "$OUT/half1" --labels "$OUT/$m-half1" >/dev/null &
  OMP_NUM_THREADS=1 "$root/scripts/unseg" segment --quiet --threads 1 --model "$model" "$OUT/half2" --labels "$OUT/$m-half2" >/dev/null
  wait; t1=$(now)
  twoproc=$(echo "$t1 - $t0" | bc -l)
  sync; t0=$(now); OMP_NUM_THREADS=1 "$root/scripts/unseg" segment --quiet --threads 1 --model "$model" "$OUT/one" --labels "$OUT/$m-plain-one" >/dev/null; t1=$(now)
  plain1=$(echo "$t1 - $t0" | bc -l)
  sync; t0=$(now); "$root/scripts/unseg" spark-segment --quiet --master 'local[1]' --model "$model" --input "$OUT/one" --output "$OUT/$m-one" >/dev/null; t1=$(now)
  single=$(echo "$t1 - $t0" | bc -l)
  sync; t0=$(now); run l1 "$OUT/$m-l1" "$m-l1"; t1=$(now)
  l1=$(echo "$t1 - $t0" | bc -l)
  sync; t0=$(now); run l2 "$OUT/$m-l2" "$m-l2"; t1=$(now)
  l2=$(echo "$t1 - $t0" | bc -l)
  # the first half alone: the second half's marginal time is the rate once the JIT has compiled
  # the hot code (a start cost that local[1] hides on its idle core)
  sync; t0=$(now); "$root/scripts/unseg" spark-segment --quiet --master 'local[1]' --model "$model" --input "$OUT/half1" --output "$OUT/$m-h1" >/dev/null; t1=$(now)
  h1=$(echo "$t1 - $t0" | bc -l)
  sync; t0=$(now); "$root/scripts/unseg" spark-segment --quiet --master 'local[2]' --model "$model" --input "$OUT/half1" --output "$OUT/$m-h2" >/dev/null; t1=$(now)
  h2=$(echo "$t1 - $t0" | bc -l)
  nh=$(ls "$OUT/half1" | wc -l)
  # the same labels as the plain loop, file by file
  same=$(cd "$OUT/$m-plain" && for f in *_labels.tif; do cmp -s "$f" "$OUT/$m-l2/$f" && echo ok; done | wc -l)
  same2=$(cd "$OUT/$m-plain2" && for f in *_labels.tif; do cmp -s "$f" "$OUT/$m-l2/$f" && echo ok; done | wc -l)
  # More rounds of the three, in turn, so that a slow spell of the machine falls on all of them
  # (the same command varies here by more than the targets' margins): ratios per round, medians.
  rounds="$plain $l1 $l2"
  for ((r = 2; r <= ROUNDS; r++)); do
    t=()
    for k in plain l1 l2; do
      rm -rf "$OUT/$m-r$k"; sync; t0=$(now); run "$k" "$OUT/$m-r$k"; t1=$(now)
      t+=("$(echo "$t1 - $t0" | bc -l)")
    done
    rounds="$rounds
${t[*]}"
  done
  # cores each run kept busy: a JVM's own threads (JIT, GC, Spark's) run beside a one-core task on
  # the other core, so local[1] uses more than one and local[2] on two cores can gain at most 2 / that
  c_plain=$(cores "$m-plain" "$plain"); c1=$(cores "$m-l1" "$l1"); c2=$(cores "$m-l2" "$l2")
  # mean time inside a task (segment on one file), from local[1]'s summary
  task=$(awk -F, 'NR > 1 { s += $3; k++ } END { printf "%.4f", s / k }' "$OUT/$m-l1/summary.csv")
  awk -v m="$m" -v n="$n" -v plain="$plain" -v single="$single" -v l1="$l1" -v l2="$l2" -v task="$task" -v same="$same" -v plain1="$plain1" -v plain2="$plain2" -v same2="$same2" -v twoproc="$twoproc" -v h1="$h1" -v h2="$h2" -v nh="$nh" -v c_plain="$c_plain" -v c1="$c1" -v c2="$c2" -v cores="$(nproc)" 'BEGIN {
    start = single - task                       # JVM + Spark start, one task, reports
    over = (l1 - single) / (n - 1) - task       # what Spark adds to each further task
    printf "%s: plain loop (1 core) %.1f s = %.2f img/s | local[1] %.1f s = %.2f img/s | local[2] %.1f s = %.2f img/s\n", m, plain, n / plain, l1, n / l1, l2, n / l2
    printf "  plain loop at its defaults (both cores) %.1f s = %.2f img/s\n", plain2, n / plain2
    printf "  two plain loops in separate JVMs, one core each, on halves of the folder: %.1f s = %.2f img/s (%.2fx the one-core loop: what this machine gives two separate processes)\n", twoproc, n / twoproc, plain / twoproc
    printf "  whole command: local[2] / local[1] throughput %.2fx (target >= 1.8); local[1] time / plain loop %.2fx (target <= 1.10)\n", l1 / l2, l1 / plain
    printf "  cores busy (CPU time / wall time): plain loop %.2f, local[1] %.2f, local[2] %.2f: on %d cores local[2] can gain at most %.2fx over local[1]\n", c_plain, c1, c2, cores, cores / c1
    # steady state: the time of a one-image run (the fixed start) taken off, per further image
    sp = (plain - plain1) / (n - 1); s1 = (l1 - single) / (n - 1); s2 = (l2 - single) / (n - 1)
    printf "  steady state, s per further image: plain %.4f, local[1] %.4f, local[2] %.4f: local[2] / local[1] %.2fx; local[1] / plain %.2fx\n", sp, s1, s2, s1 / s2, s1 / sp
    m1 = (l1 - h1) / (n - nh); m2 = (l2 - h2) / (n - nh)
    printf "  second half (all images minus the first %d), s per image: local[1] %.4f, local[2] %.4f: local[2] / local[1] %.2fx\n", nh, m1, m2, m1 / m2
    printf "  per task: %.3f s segmenting, %.3f s Spark overhead; fixed start %.1f s (JVM, Spark, model); labels identical to the loop: %d/%d files (to the 2-core loop: %d/%d)\n", task, over, start, same, n, same2, n
    for (e = 10; e <= 100; e *= 10) {
      t = start + 100000 * (task + (over > 0 ? over : 0)) / e
      printf "  projection: 100,000 such images on %d one-core executors: %.0f s (%.1f min)\n", e, t, t / 60
    }
  }'
  if (( ROUNDS > 1 )); then
    echo "$rounds" | awk -v m="$m" '
      { q[NR] = $2 / $3; s[NR] = $2 / $1
        printf "  round %d: plain %.1f s, local[1] %.1f s, local[2] %.1f s: local[2] / local[1] %.2fx, local[1] / plain %.2fx\n", NR, $1, $2, $3, q[NR], s[NR] }
      function med(x, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
        return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2 }
      END { printf "  %s, median of %d rounds: local[2] / local[1] %.2fx (target >= 1.8), local[1] / plain %.2fx (target <= 1.10)\n", m, NR, med(q, NR), med(s, NR) }'
  fi
done
