#!/usr/bin/env bash
# Throughput of N `minutes worker` processes on one PostgreSQL database, through the sim provider.
#   bench/workers.sh DB_URL WORKERS MEETINGS LATENCY_MS CONCURRENCY [RPM]
# e.g. bench/workers.sh 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=bench' 3 2000 0 8
# Starts WORKERS-1 workers, then `minutes run` (itself the last node) on MEETINGS generated
# transcripts, and reports meetings/s over the processing window (first attempt start to last
# attempt end, from batch.json) and efficiency = minimum time / that window, where, without RPM,
# minimum = MEETINGS x LATENCY / (WORKERS x CONCURRENCY). With RPM every node is given --rpm RPM
# (one limit shared through PostgreSQL) and its sim enforces --sim-rpm RPM; minimum = the meetings
# beyond the first second's allowance at RPM/60 a second, plus one call's latency.
set -euo pipefail
db=$1 workers=$2 meetings=$3 latency=$4 concurrency=$5 rpm=${6:-0}
here="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/in"
for i in $(seq 1 "$meetings"); do
  printf 'Alice: Welcome to planning meeting %s. Let us review the release plan.\nBob: I will update the guide by Friday.\nAlice: We decided to ship version %s next week.\n' "$i" "$i" > "$work/in/m$i.txt"
done
common=(--db "$db" --provider sim --sim-latency-ms "$latency" --concurrency "$concurrency")
# the sim quantises per second (its default window); the nodes are told so, as WorkersOnPostgresTest does
[ "$rpm" -gt 0 ] && common+=(--rpm "$rpm" --rate-window second --sim-rpm "$rpm")
"$here/minutes" config "${common[@]}" >/dev/null # builds the jar once, before any node starts
for _ in $(seq 2 "$workers"); do
  "$here/minutes" worker "${common[@]}" 2>>"$work/workers.log" &
done
started() { local n; n=$(grep -c 'processing meetings' "$work/workers.log" 2>/dev/null) || true; echo "${n:-0}"; }
until [ "$(started)" -ge $((workers - 1)) ]; do sleep 0.2; done
# CPU seconds used by PostgreSQL over the run: its live processes plus the ended ones (which the
# postmaster has reaped into its own children's times).
pg_cpu() {
  local main total=0 pid
  main=$(head -1 "$(find /var/lib/postgresql /var/run/postgresql -name postmaster.pid 2>/dev/null | head -1)" 2>/dev/null) || { echo 0; return; }
  total=$(awk '{print $14+$15+$16+$17}' "/proc/$main/stat")
  for pid in $(pgrep -P "$main"); do total=$((total + $(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
pg_before=$(pg_cpu)
/usr/bin/time -f '%U %S' -o "$work/run.cpu" "$here/minutes" run "$work/in" --fresh --out "$work/out" "${common[@]}" --json > "$work/batch.json"
pg_after=$(pg_cpu)
ticks=$(getconf CLK_TCK)
# CPU ticks of a process and its descendants (a worker job is a shell whose child is the JVM)
cpu_tree() {
  local ticks child
  ticks=$(awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0)
  for child in $(pgrep -P "$1"); do ticks=$((ticks + $(cpu_tree "$child"))); done
  echo "$ticks"
}
cpu_workers=0
for pid in $(jobs -p); do cpu_workers=$((cpu_workers + $(cpu_tree "$pid"))); done
python3 - "$work/batch.json" "$workers" "$meetings" "$latency" "$concurrency" "$rpm" \
  "$(awk '{print $1+$2}' "$work/run.cpu")" "$(echo "$cpu_workers / $ticks" | bc -l)" "$(echo "($pg_after - $pg_before) / $ticks" | bc -l)" <<'PY'
import json, sys
from datetime import datetime
report = json.load(open(sys.argv[1]))
workers, meetings, latency, concurrency, rpm = map(int, sys.argv[2:7])
cpu_run, cpu_workers, cpu_pg = map(float, sys.argv[7:10])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
log = [a for item in report["items"] for a in item["attempt_log"]]
window = max(t(a["finished_at"]) for a in log) - min(t(a["started_at"]) for a in log)
line = f"workers={workers} meetings={report['completed']}/{meetings} latency={latency}ms concurrency={concurrency}: " \
       f"{window:.2f} s, {meetings / window:.0f} meetings/s (run wall {report['wall_seconds']:.2f} s)"
if rpm:
    per_second = rpm / 60
    minimum = max(0, meetings - per_second) / per_second + latency / 1000
    line += f", rpm {rpm}: minimum {minimum:.2f} s, efficiency {minimum / window:.2f}, attempts not completed {sum(1 for a in log if a['outcome'] != 'completed')}"
elif latency:
    minimum = meetings * latency / 1000 / (workers * concurrency)
    line += f", minimum {minimum:.2f} s, efficiency {minimum / window:.2f}"
line += f"; CPU ms per meeting: nodes {1000 * (cpu_run + cpu_workers) / meetings:.1f}, PostgreSQL {1000 * cpu_pg / meetings:.1f}"
print(line)
PY
