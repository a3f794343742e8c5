# Sourced by scripts/unseg and scripts/unseg-spark: class-data sharing (HotSpot, Java 13 or later).
# Once per build (and per Java), the launcher runs one typical job on the shipped sample with
# -XX:ArchiveClassesAtExit; later runs map the archived classes instead of loading and verifying
# them again, which is most of a short run's start (see README, Command line). Labels do not
# depend on it. An archive the JVM cannot use (another Java, a jar changed since) is skipped
# without a word (-Xshare:auto, the default); a Java without the option makes none.

# Which java runs (an archive belongs to one JVM build): its resolved path, size and time; and
# the class path's files (the JVM ignores an archive when a jar on it changed: e.g. the plugin
# jar in ~/.m2, which `mvn install` replaces without the Spark launcher rebuilding anything).
cds_java_id() {
  local j cp=${1:-}
  j=$(command -v java) && j=$(readlink -f "$j") && stat -c '%n %s %Y' "$j" || return 1
  if [[ -n "$cp" ]]; then
    local IFS=:
    # shellcheck disable=SC2086
    stat -c '%n %s %Y' $cp 2>/dev/null | cksum
  fi
}

# cds_prepare ARCHIVE JOB [CLASSPATH]: unless ARCHIVE was already tried with this java and these
# class path files, runs the shell function JOB once (JOB JAVA_OPTIONS... must run java with
# those options first) to write it, to a temporary name renamed into place. Never fails: a
# launcher without an archive only starts slower.
# -XX:-BackgroundCompilation: a method still queued for the JIT when the job exits is archived
# with its "queued" flag set, and is then never compiled in any run that maps the archive (Java 17;
# fixed in 21 by JDK-8306460): each build's archive made a different hot loop interpreted, and an
# 8000 x 8000 objects job took 13.5, 17 or 24 s by archive. Compiling in the foreground leaves no
# queue at exit; the job takes about 2 s longer, once.
cds_prepare() {
  local archive=$1 job=$2 id tmp
  id=$(cds_java_id "${3:-}" 2>/dev/null) || id=unknown
  if [[ -f "$archive.java" && "$(cat "$archive.java" 2>/dev/null)" == "$id" ]]; then return 0; fi
  rm -f "$archive" 2>/dev/null || true
  tmp="$archive.tmp.$$"
  if "$job" -XX:+IgnoreUnrecognizedVMOptions -XX:-BackgroundCompilation -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
      >/dev/null 2>&1 && [[ -s "$tmp" ]]; then
    mv -f "$tmp" "$archive" 2>/dev/null || true
  fi
  rm -f "$tmp" 2>/dev/null || true
  # tried with this java and class path: not again until a rebuild (cds_forget), another java or a
  # changed class-path file
  { echo "$id" > "$archive.java"; } 2>/dev/null || true
  return 0
}

# cds_forget ARCHIVE: after a rebuild, the next run makes a new archive (also where `stat -c`
# is missing and the stamp cannot see the jar change, e.g. BSD stat).
cds_forget() { rm -f "$1" "$1.java" 2>/dev/null || true; }

# cds_flags ARCHIVE: the java options that use ARCHIVE (none when there is none). None either when
# UNSEG_JAVA_OPTS adds a flight recording or an agent: their class-file hook on archived classes
# crashed Java 17's JVM here (SIGSEGV in KlassFactory::check_shared_class_file_load_hook, JFR with
# the Spark launcher's archive); such a run only starts slower.
cds_flags() {
  case " ${UNSEG_JAVA_OPTS:-} " in *FlightRecord*|*" -javaagent"*|*" -agentlib"*|*" -agentpath"*) return 0 ;; esac
  if [[ -f "$1" ]]; then echo "-XX:SharedArchiveFile=$1 -Xlog:cds=off -Xlog:cds+dynamic=off"; fi
}
