# Sourced by ./minutes. On a JDK >= 25 the jar runs with an ahead-of-time cache (JEP 483, 514, 515):
# the classes a training run loaded, already parsed and linked, and the method profiles it gathered,
# so a command starts sooner and its hot code is compiled sooner (a batch of 1,000 small meetings
# through the sim cost about 1.2 s less CPU, of some 7 s). The training run is a batch of small generated transcripts through the
# sim provider, in a scratch folder, with none of the user's settings. The cache is made once for
# each jar and JDK, by the first command that finds it missing or stale, and kept beside the jar
# (a build's `clean` removes it). If it cannot be made, commands run without it, as on JDK 21, and
# the next jar tries again. MINUTES_AOT=off runs without it.
#
# minutes_aot_options JAVA_HOME MAJOR JAR: prints the JVM options that use the cache, one a line
# (nothing when there is none), making it first when needed; says on stderr when it does.

minutes_aot_training_meetings=1000
minutes_aot_timeout=()
command -v timeout >/dev/null 2>&1 && minutes_aot_timeout=(timeout 300)

minutes_aot_options() {
  local java_home=$1 major=$2 jar=$3
  local cache="${jar%.jar}.aot" stamp="${jar%.jar}.aot.jdk" failed="${jar%.jar}.aot.failed"
  [ "${MINUTES_AOT:-on}" != off ] && [ "$major" -ge 25 ] || return 0
  local jdk
  jdk="$java_home $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$java_home/release" 2>/dev/null)"
  if [ ! -f "$cache" ] || [ "$jar" -nt "$cache" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$jdk" ]; then
    # a training run that failed for this jar and JDK is not tried again before the next build
    [ -f "$failed" ] && [ ! "$jar" -nt "$failed" ] && [ "$(head -n 1 "$failed")" = "$jdk" ] && return 0
    [ -w "$(dirname "$jar")" ] || return 0
    minutes_aot_train "$java_home" "$jar" "$cache" "$stamp" "$failed" "$jdk" || return 0
  fi
  # the JVM checks the cache against the JDK and the jar itself, and runs without it when they differ;
  # its messages about the cache would go to stdout, where `--json` writes
  printf '%s\n' "-XX:AOTCache=$cache" "-Xlog:aot*=off" "-Xlog:cds*=off"
}

# Makes the cache from a training run; returns non-zero (the command then runs without it) if it
# could not. Another launcher making it at the same time is not waited for.
minutes_aot_train() {
  local java_home=$1 jar=$2 cache=$3 stamp=$4 failed=$5 jdk=$6
  local lock="$cache.lock" scratch status=0
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$lock" || return 1
    flock -n 9 || { exec 9>&-; return 1; }
  fi
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/minutes-aot.XXXXXX") || { exec 9>&- 2>/dev/null; return 1; }
  echo "minutes: preparing this jar's start-up cache (once per build: a training run of some seconds)..." >&2
  mkdir -p "$scratch/in" "$scratch/home"
  local i
  for ((i = 0; i < minutes_aot_training_meetings; i++)); do
    printf 'Alice: Welcome to planning meeting %d. Let us review the release plan.\nBob: I will update the guide by Friday.\nAlice: We decided to ship version %d next week.\n' \
      "$i" "$i" > "$scratch/in/meeting-$i.txt"
  done
  # with the launcher's own JVM options (the cache records them), none of the user's settings
  (cd "$scratch" && env -i PATH="$PATH" HOME="$scratch/home" TMPDIR="${TMPDIR:-/tmp}" \
    ${minutes_aot_timeout[@]+"${minutes_aot_timeout[@]}"} "$java_home/bin/java" -XX:AOTCacheOutput="$scratch/minutes.aot" --enable-native-access=ALL-UNNAMED \
      -jar "$jar" run "$scratch/in" --out "$scratch/out" --db "$scratch/minutes.db" \
      --provider sim --sim-latency-ms 0 --concurrency 50 --json) < /dev/null > "$scratch/training.log" 2>&1 || status=$?
  if [ "$status" -eq 0 ] && [ -s "$scratch/minutes.aot" ] && mv -f "$scratch/minutes.aot" "$cache"; then
    printf '%s\n' "$jdk" > "$stamp"
    rm -f "$failed"
  else
    printf '%s\n' "$jdk" > "$failed"
    tail -20 "$scratch/training.log" >> "$failed" 2>/dev/null
    echo "minutes: could not prepare the start-up cache (exit $status; see $failed); running without it" >&2
    status=1
  fi
  rm -rf "$scratch"
  exec 9>&- 2>/dev/null
  return "$status"
}
