#!/usr/bin/env bash
# The objects' outline contrast (the figure UnSeg's object summaries give, and below 1.5 a note
# that the field may be empty) on the microscopy sets (../shared/data/micro, skipped when absent)
# and on fields without cells (bench/empty_fields.py): per method and set, the images' lowest,
# median and highest figure, how many images had none (no object of 20 px) and how many got the note.
#   bench/outline_contrast.sh
# Env: METHODS ("name: options; name: options"; default: command 1, GMM k2, CNN + K-means k2 and
#      the CNN; --objects is added), DATA (../shared/data), OUT (target/outline-contrast).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
data="${DATA:-$root/../shared/data}"
out="${OUT:-$root/target/outline-contrast}"
methods="${METHODS:-$EMPTY_FIELD_METHODS}"
empty_fields "$out"
sets=()
for s in ctc_gowt1 nih3t3 isbi2012_em stardist_dsb2018 bbbc039_example; do
  [[ -d "$data/micro/$s/images" ]] && sets+=("$data/micro/$s/images")
done
[[ ${#sets[@]} -eq 0 ]] && echo "bench: $data/micro absent, the empty fields only"
sets+=("$out/empty/white" "$out/empty/texture")
printf '| method | set | images | lowest | median | highest | no figure | noted empty |\n|---|---|---|---|---|---|---|---|\n'
IFS=';' read -ra rows <<< "$methods"
for row in "${rows[@]}"; do
  name="$(echo "${row%%:*}" | xargs)"; opts="${row#*:}"
  for dir in "${sets[@]}"; do
    set_name=$(basename "$(dirname "$dir")"); [[ "$set_name" == empty ]] && set_name="empty/$(basename "$dir")"
    o="$out/labels/$(echo "$name" | tr ' ' _)/$set_name"; mkdir -p "$o"
    # shellcheck disable=SC2086
    "$root/scripts/unseg" segment $opts --objects "$dir" --labels "$o" --quiet > "$o.log" 2>&1 || true
    /usr/bin/python3 - "$o.log" "$name" "$set_name" <<'PY'
import re, sys
log, name, set_name = sys.argv[1:]
text = open(log).read()
objects = re.findall(r"^\s+\d+ objects \(.*$", text, re.M)
figs = sorted(float(m) for m in re.findall(r"; outline contrast ([0-9.]+)", text))
noted = text.count("outlines are hardly stronger")
med = figs[len(figs) // 2] if figs else float("nan")
lo, hi = (figs[0], figs[-1]) if figs else (float("nan"), float("nan"))
print(f"| {name} | {set_name} | {len(objects)} | {lo:.1f} | {med:.1f} | {hi:.1f} | {len(objects) - len(figs)} | {noted} |")
PY
  done
done
