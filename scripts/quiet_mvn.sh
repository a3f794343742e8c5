# Sourced by scripts/unseg and scripts/unseg-spark. Maven 3.8 prints colour codes even with -q -B
# ("^[[0m^[[0m" after "building..."): its output is kept aside and shown, without them, only if
# the build fails.
#   quiet_mvn DIR ARGS...
quiet_mvn() {
  local dir="$1" log
  shift
  log="$(mktemp "${TMPDIR:-/tmp}/unseg-build.XXXXXX")"
  if (cd "$dir" && mvn -q -B "$@") > "$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  sed $'s/\x1b\\[[0-9;]*m//g' "$log" >&2
  rm -f "$log"
  echo "unseg: the build failed (Maven's messages above)." >&2
  return 1
}
