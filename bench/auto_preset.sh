#!/usr/bin/env bash
# What the CNN's preset auto takes each image of ../shared/data for (bench/AutoPreset.java):
#   bench/auto_preset.sh        # env: DATA (../shared/data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
run_java_bench 4g AutoPreset.java
