#!/usr/bin/env bash
# The web UI as a browser renders it: scores SampleAudio into a scratch database, starts
# `callqa serve`, signs in, fetches the agents page and a call page, and has headless Chromium
# render each (the pages are self-contained: no external assets) and checks the rendered DOM and
# a screenshot. Installs Debian's chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
CALLQA=${CALLQA:-.build/debug/callqa}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
$CALLQA score SampleAudio --db "$work/web.sqlite" >/dev/null 2>&1
$CALLQA users add boss --role manager --password 'browser-check-1' --db "$work/web.sqlite" >/dev/null
port=$((20000 + RANDOM % 20000))
$CALLQA serve --db "$work/web.sqlite" --port $port >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.2; done
jar="$work/cookies"
curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" >"$work/login.html"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/login.html" | head -1 | sed 's/.*value="//; s/"//')
curl -s -o /dev/null -c "$jar" -b "$jar" -d "csrf=$csrf&next=/&user=boss&password=browser-check-1" "http://127.0.0.1:$port/login"
curl -s -b "$jar" "http://127.0.0.1:$port/?month=2026-11" >"$work/agents.html"
call=$(grep -o 'href="/calls/[0-9]*"' "$work/agents.html" | head -1 || true)
curl -s -b "$jar" "http://127.0.0.1:$port/agents/1004" >"$work/agent.html"
id=$(grep -o 'href="/calls/[0-9]*"' "$work/agent.html" | head -1 | grep -o '[0-9]*')
curl -s -b "$jar" "http://127.0.0.1:$port/calls/$id" >"$work/call.html"
render() { timeout 90 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$work/$1.html" 2>/dev/null; }
agents=$(render agents); callpage=$(render call)
fail=0
for agent in 1001 1002 1003 1004; do grep -q "/agents/$agent" <<<"$agents" || { echo "agents page: agent $agent missing"; fail=1; }; done
grep -q "award-eligible" <<<"$agents" || { echo "agents page: no KPI band"; fail=1; }
grep -q "<svg" <<<"$callpage" || { echo "call page: no timeline"; fail=1; }
grep -q 'class="seek"' <<<"$callpage" || { echo "call page: no evidence links"; fail=1; }
grep -q "R1</td>" <<<"$callpage" || { echo "call page: no rule results"; fail=1; }
timeout 90 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1000 \
  --screenshot="$work/call.png" "file://$work/call.html" >/dev/null 2>&1
[ -s "$work/call.png" ] || { echo "no screenshot"; fail=1; }
[ $fail = 0 ] && echo "browser check: agents and call pages render in Chromium" || exit 1
