#!/usr/bin/env bash
# Throughput of N `minutes worker` processes on one PostgreSQL database, through the sim provider.
#   bench/workers.sh DB_URL WORKERS MEETINGS LATENCY_MS CONCURRENCY
# e.g. bench/workers.sh 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=bench' 3 2000 0 8
# Starts WORKERS-1 workers, then `minutes run` (itself the last node) on MEETINGS generated
# transcripts, and reports meetings/s over the processing window (first attempt start to last
# attempt end, from batch.json) and, with a latency, efficiency = minimum time / that window, where
# minimum = MEETINGS x LATENCY / (WORKERS x CONCURRENCY).
set -euo pipefail
db=$1 workers=$2 meetings=$3 latency=$4 concurrency=$5
here="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/in"
for i in $(seq 1 "$meetings"); do
  printf 'Alice: Welcome to planning meeting %s. Let us review the release plan.\nBob: I will update the guide by Friday.\nAlice: We decided to ship version %s next week.\n' "$i" "$i" > "$work/in/m$i.txt"
done
common=(--db "$db" --provider sim --sim-latency-ms "$latency" --concurrency "$concurrency")
"$here/minutes" config "${common[@]}" >/dev/null # builds the jar once, before any node starts
for _ in $(seq 2 "$workers"); do
  "$here/minutes" worker "${common[@]}" 2>>"$work/workers.log" &
done
until [ "$(grep -c 'processing meetings' "$work/workers.log" 2>/dev/null || echo 0)" -ge $((workers - 1)) ]; do sleep 0.2; done
"$here/minutes" run "$work/in" --fresh --out "$work/out" "${common[@]}" --json > "$work/batch.json"
python3 - "$work/batch.json" "$workers" "$meetings" "$latency" "$concurrency" <<'PY'
import json, sys
from datetime import datetime
report, workers, meetings, latency, concurrency = json.load(open(sys.argv[1])), *map(int, sys.argv[2:])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
log = [a for item in report["items"] for a in item["attempt_log"]]
window = max(t(a["finished_at"]) for a in log) - min(t(a["started_at"]) for a in log)
line = f"workers={workers} meetings={report['completed']}/{meetings} latency={latency}ms concurrency={concurrency}: " \
       f"{window:.2f} s, {meetings / window:.0f} meetings/s (run wall {report['wall_seconds']:.2f} s)"
if latency:
    minimum = meetings * latency / 1000 / (workers * concurrency)
    line += f", minimum {minimum:.2f} s, efficiency {minimum / window:.2f}"
print(line)
PY
