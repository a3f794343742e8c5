#!/usr/bin/env bash
# What --min-outline-contrast leaves of fields without cells (bench/empty_fields.py: white noise
# and smooth textures): per method and field, the objects without the option and with it.
#   bench/empty_fields_filter.sh [LIMIT]      (LIMIT: 2)
# Env: METHODS ("name: options; ..."; default: command 1, GMM k2, CNN + K-means k2, the CNN), OUT (target/empty-fields-filter).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
limit="${1:-2}"
out="${OUT:-$root/target/empty-fields-filter}"
methods="${METHODS:-$EMPTY_FIELD_METHODS}"
empty_fields "$out"
objects() {   # the object count a run's summary gives
  # shellcheck disable=SC2086
  "$root/scripts/unseg" segment $1 --objects "$2" --labels "$out/l.tif" --overwrite --quiet 2>&1 | sed -n 's/^  \([0-9]*\) objects (.*/\1/p'
}
printf '| method | field | objects | with --min-outline-contrast %s |\n|---|---|---|---|\n' "$limit"
IFS=';' read -ra rows <<< "$methods"
for row in "${rows[@]}"; do
  name="$(echo "${row%%:*}" | xargs)"; opts="${row#*:}"
  for f in "$out"/empty/white/*.tif "$out"/empty/texture/*.tif; do
    field="$(basename "$(dirname "$f")")/$(basename "$f" .tif)"
    printf '| %s | %s | %s | %s |\n' "$name" "$field" "$(objects "$opts" "$f")" "$(objects "$opts --min-outline-contrast $limit" "$f")"
  done
done
