#!/usr/bin/env bash
# What the CNN's preset auto takes each image of ../shared/data for (bench/AutoPreset.java):
#   bench/auto_preset.sh        # env: DATA (../shared/data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
export DATA="${DATA:-$root/../shared/data}"
cp=$(unseg_classpath)
exec java -Xmx4g -Djava.awt.headless=true -cp "$cp" "$root/bench/AutoPreset.java"
