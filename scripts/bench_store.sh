#!/usr/bin/env bash
# Two `callqa score` workers (shards 0/2 and 1/2, one analysis each) on make bench-batch's day,
# into a fresh SQLite file and into a fresh PostgreSQL database, in turns; one worker with
# --jobs 2 on SQLite as the floor. Prints each run's wall time, hours of audio per minute and
# the store's share. Needs a PostgreSQL server: CALLQA_BENCH_POSTGRES (URL of a database the
# user may create databases from), else scripts/test_postgres.sh's throwaway one.
set -euo pipefail
cd "$(dirname "$0")/.."
callqa=${CALLQA:-.build/release/callqa}
day=bench/day
rounds=${ROUNDS:-2}
[ -f $day/.done-v2 ] || { echo "run make bench-batch once first (it writes $day)"; exit 2; }
url=${CALLQA_BENCH_POSTGRES:-$(bash scripts/test_postgres.sh)}
export PGPASSWORD=${PGPASSWORD:-callqa-test}
server=${url%/*}
hours=$(python3 -c "import soundfile" 2>/dev/null && echo "" || echo "")
run() {  # label, then the worker commands' store arguments
  local label=$1; shift
  local start=$(date +%s.%N)
  local pids=() logs=()
  for store in "$@"; do
    local log=$(mktemp); logs+=("$log")
    eval "$store" >"$log" 2>&1 & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local wall=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  local audio=0 storeSeconds=0
  for log in "${logs[@]}"; do
    audio=$(python3 - "$log" "$audio" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"\(([\d.]+) h of audio", text)
print(float(sys.argv[2]) + (float(m.group(1)) if m else 0))
PY
)
    storeSeconds=$(python3 - "$log" "$storeSeconds" <<'PY'
import re, sys
m = re.search(r"the store took ([\d.]+) s", open(sys.argv[1]).read())
print(float(sys.argv[2]) + (float(m.group(1)) if m else 0))
PY
)
    grep -q "none failed" "$log" || { echo "$label: a worker failed:"; cat "$log"; exit 1; }
    rm -f "$log"
  done
  python3 -c "
wall, audio, store, n = $wall, $audio, $storeSeconds, $#
print(f'{\"$label\":34s} wall {wall:6.1f} s  {audio:5.2f} h  {audio/(wall/60):5.1f} h/min  store {store:5.1f} s over {n} worker(s) = {100*store/(wall*n):4.1f}% of worker time')"
}
for round in $(seq "$rounds"); do
  rm -f bench/store.sqlite*
  run "SQLite, one worker, --jobs 2" "$callqa score $day --db bench/store.sqlite --jobs 2"
  rm -f bench/store.sqlite*
  run "SQLite, two shard workers" "$callqa score $day --db bench/store.sqlite --jobs 1 --shard 0/2" "$callqa score $day --db bench/store.sqlite --jobs 1 --shard 1/2"
  db=callqa_bench_$round
  psql "$url" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
  run "PostgreSQL, two shard workers" "$callqa score $day --store $server/$db --jobs 1 --shard 0/2" "$callqa score $day --store $server/$db --jobs 1 --shard 1/2"
done
