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
