#!/usr/bin/env bash
# The engine's own cost as a batch grows: SIZES small transcripts (default 1000 20000 100000) through
# `minutes run` and the sim provider at 0 ms, concurrency 50, the JVM at -Xmx256m, one run per size,
# each on a fresh store. Prints meetings/s (meetings / batch.json's wall_seconds: storing the batch,
# processing it; the files are written after), the processing alone (first claim to last result), the whole
# command's time, the CPU it used per meeting (user + system, JVM start and reading the files
# included: on a shared machine a steadier measure of the engine's own cost than the wall time) and
# its peak RSS and the load average when it ended, then the ratio of the fastest size to the slowest
# (flat = 1.0) of each rate.
#   bench/engine-cost.sh sqlite [SIZES...]
#   bench/engine-cost.sh 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=bench_scale' [SIZES...]
# On PostgreSQL the schema named in the URL is dropped before each size. Deduplicated as by default.
# Needs python3 and /usr/bin/time.
# MINUTES_JAVA_OPTS overrides the heap (default -Xmx256m).
set -euo pipefail
backend=${1:?usage: bench/engine-cost.sh sqlite|POSTGRES_URL [SIZES...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 20000 100000)
here="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MINUTES_JAVA_OPTS="${MINUTES_JAVA_OPTS:--Xmx256m}"
"$here/minutes" --version >/dev/null # builds the jar once, outside the measured runs

drop_schema() { # the schema of a PostgreSQL URL, so every size starts on an empty store
  local schema
  schema=$(sed -n 's/.*[?&]currentSchema=\([A-Za-z0-9_]*\).*/\1/p' <<<"$backend")
  [ -n "$schema" ] || { echo "bench/engine-cost.sh: give the PostgreSQL URL a currentSchema=NAME to run in" >&2; exit 2; }
  PGOPTIONS="-c client_min_messages=warning" psql -q -h 127.0.0.1 -U postgres -d "$(sed -n 's#.*://[^/]*/\([^?]*\).*#\1#p' <<<"$backend")" \
    -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); backend: ${backend%%\?*}; JVM: $MINUTES_JAVA_OPTS"
rates=(); processing_rates=(); whole_rates=()
for n in "${sizes[@]}"; do
  in="$work/in-$n"
  python3 - "$in" "$n" <<'PY'
import os, sys
folder, n = sys.argv[1], int(sys.argv[2])
os.makedirs(folder)
for i in range(n):
    with open(os.path.join(folder, f"m{i:06d}.txt"), "w") as f:
        f.write(f"Alice: Welcome to planning meeting {i}. Let us review the release plan.\n"
                f"Bob: I will update the guide by Friday.\nAlice: We decided to ship version {i} next week.\n")
PY
  # deduplicated as by default (on_duplicate=skip): its lock is the tenant's in this schema only
  if [ "$backend" = sqlite ]; then db="$work/store-$n.db"; else drop_schema; db=$backend; fi
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$here/minutes" run "$in" --fresh --out "$work/out-$n" --db "$db" \
    --provider sim --sim-latency-ms 0 --concurrency 50 --json > "$work/batch.json" 2> "$work/run.err" \
    || { echo "size $n: minutes run failed (exit $?):"; tail -20 "$work/run.err"; exit 1; }
  load=$(cut -d' ' -f1 /proc/loadavg)
  line=$(python3 - "$work/batch.json" "$n" "$load" $(cat "$work/time") <<'PY'
import json, sys
from datetime import datetime
report = json.load(open(sys.argv[1]))
n, load, elapsed, rss_kb = int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
cpu_ms = 1000 * (float(sys.argv[6]) + float(sys.argv[7])) / n
rate = report["completed"] / report["wall_seconds"]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
log = [a for item in report["items"] for a in item.get("attempt_log", [])]
window = max(t(a["finished_at"]) for a in log) - min(t(a["started_at"]) for a in log)
print(f"{rate:.1f} {len(log) / window:.1f} {n / elapsed:.1f} {n:>7} meetings: {report['completed']} completed in {report['wall_seconds']:.2f} s = {rate:.0f} meetings/s; "
      f"of which processing (first claim to last result) {window:.2f} s = {len(log) / window:.0f}/s; whole command {elapsed:.1f} s = {n / elapsed:.0f}/s, CPU {cpu_ms:.2f} ms a meeting, peak RSS {rss_kb / 1024:.0f} MB; load average {load}")
PY
)
  read -r rate processing whole rest <<<"$line"
  echo "$rest"
  rates+=("$rate"); processing_rates+=("$processing"); whole_rates+=("$whole")
  rm -rf "$in" "$work/out-$n" "$work/store-$n.db"*
done
ratio() { python3 -c 'import sys; r = [float(x) for x in sys.argv[1:]]; print(f"{max(r) / min(r):.2f}")' "$@"; }
echo "fastest / slowest size: meetings/s $(ratio "${rates[@]}"), processing $(ratio "${processing_rates[@]}"), whole command $(ratio "${whole_rates[@]}")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
