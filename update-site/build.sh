#!/usr/bin/env bash
# Builds UnSeg's Fiji update site into update-site/site (or the folder given):
# db.xml.gz (the ImageJ updater's format) and jars/NAME.jar-TIMESTAMP for UnSeg and every runtime
# dependency that a stock Fiji lacks (update-site/fiji-provided.txt lists what Fiji ships).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/update-site/site}"
cd "$root"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime
# The windows and macOS natives (update-site/natives.txt), fetched into target/natives.
rm -rf target/natives && mkdir -p target/natives
grep -v '^#' update-site/natives.txt | while read -r gav; do
  [ -n "$gav" ] || continue
  IFS=: read -r g a v c <<< "$gav"
  mvn -q -B dependency:copy -Dartifact="$g:$a:$v:jar:$c" -DoutputDirectory=target/natives
done
cp target/runtime-classpath.txt target/site-classpath.txt
for f in target/natives/*.jar; do printf ':%s' "$root/$f" >> target/site-classpath.txt; done
rm -rf "$out"
java -cp "$(ls target/unseg-*.jar | head -1):$(cat target/runtime-classpath.txt)" io.github.unseg.dist.UpdateSiteBuilder \
  "$out" "$(ls target/unseg-*.jar | head -1)" target/site-classpath.txt update-site/fiji-provided.txt
