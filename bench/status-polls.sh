#!/usr/bin/env bash
# Status polls per second and their latency while 1,000 meetings run through `minutes serve`
# (sim provider, 500 ms a call, 20 at once: at least 25 s of work, longer than the 15 s of polling). Needs wrk (Debian package) and python3.
# Usage: bench/status-polls.sh [PORT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${1:-18081}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$work/batch.json" <<'PY'
import json, sys
t = ("Alice: Welcome to planning meeting number {i}. Let's review the release plan.\n"
     "Bob: I will update the migration guide by Friday.\nAlice: We decided to ship version {i} next week.\n"
     "Bob: Who owns the rollback plan?\n")
json.dump({"meetings": [{"title": f"Meeting {i}", "transcript": t.format(i=i)} for i in range(1000)]}, open(sys.argv[1], "w"))
PY
"$here/minutes" serve --port "$port" --db "$work/bench.db" --provider sim --sim-latency-ms 500 --concurrency 20 > "$work/serve.out" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q serving "$work/serve.out" 2>/dev/null && break; sleep 1; done
id=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/meetings/batch" -H 'Content-Type: application/json' \
      --data-binary @"$work/batch.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["batch_id"])')
url="http://127.0.0.1:$port/api/v1/meetings/batch/$id"
wrk -t2 -c16 -d5s "$url" > /dev/null                      # warm-up (JIT)
wrk -t2 -c16 -d10s --latency "$url"
curl -s "$url" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("batch after the polls:", d["status"], d["completed"], "of", d["total"], "completed,", d["processing"], "processing")'
