# Sourced by the bench scripts (after they set $root): the Python peers from Debian, UnSeg's build.

# needs_python "MODULES" PACKAGE...: returns if /usr/bin/python3 can import MODULES; otherwise
# installs the Debian packages (as root) or stops with what to install.
needs_python() {
  local modules="$1"; shift
  /usr/bin/python3 -c "import $modules" 2>/dev/null && return 0
  if [[ $(id -u) == 0 ]]; then apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
  else echo "bench: needs $* (apt-get install $*)" >&2; exit 1; fi
}

# unseg_classpath: builds the jar and classpath when needed (so outside any timing) and prints
# the classpath for java -cp.
unseg_classpath() {
  "$root/scripts/unseg" help >/dev/null || return 1  # (errexit does not reach into $(...))
  echo "$root/target/unseg.jar:$(cat "$root/target/classpath.txt")"
}

# run_java_bench HEAP FILE.java [ARGS...]: runs a single-file Java bench on UnSeg's classpath,
# headless, with DATA defaulting to ../shared/data (the launchers' common lines).
run_java_bench() {
  local heap="$1" main="$2"; shift 2
  export DATA="${DATA:-$root/../shared/data}"
  local cp
  cp=$(unseg_classpath)
  exec java "-Xmx$heap" -Djava.awt.headless=true -cp "$cp" "$root/bench/$main" "$@"
}

# The methods the empty-field benches compare (object options are each bench's): README command 1,
# GMM and CNN + K-means with 2 clusters, the CNN at its defaults.
EMPTY_FIELD_METHODS="command 1: --method kmeans --n-clusters 3 --smoothing 1 --background subtract --refine-edges 4; GMM k2: --method gmm --n-clusters 2; CKM k2: --method cnn-kmeans --n-clusters 2; CNN: --method cnn"

# empty_fields OUT: a fresh OUT holding bench/empty_fields.py's fields without cells (OUT/empty/white,
# OUT/empty/texture), and UnSeg built (outside any timing).
empty_fields() {
  needs_python "tifffile, scipy" python3-tifffile python3-scipy
  rm -rf "$1" && mkdir -p "$1"
  /usr/bin/python3 "$root/bench/empty_fields.py" "$1/empty" > /dev/null
  unseg_classpath >/dev/null
}
