#!/usr/bin/env bash
# The web UI as a browser renders it: scores SampleAudio into a scratch database, stores the
# agents' names and teams, starts `callqa serve`, signs in as a manager, a QA reviewer and an agent,
# fetches the agents, calls (filtered), call, review and calibration pages (Chinese, the default)
# and the agents page in English, has headless Chromium render each (the pages are
# self-contained: no external assets), checks the rendered DOM and takes screenshots.
# SHOTS=DIR keeps the screenshots there (docs/screenshots holds the ones the README shows).
# Installs Debian's chromium (and a CJK font, so Chinese renders) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi "cjk\|wqy\|droid sans fallback" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
CALLQA=${CALLQA:-.build/debug/callqa}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/web.sqlite"
$CALLQA score SampleAudio --db "$db" >/dev/null 2>&1
printf 'id,name,team,teamLead\n1001,王芳,一组,李强\n1002,张伟,一组,李强\n1003,刘洋,二组,陈静\n1004,赵敏,二组,陈静\n' >"$work/agents.csv"
$CALLQA agents import "$work/agents.csv" --db "$db" >/dev/null
$CALLQA users add boss --role manager --password 'browser-check-1' --db "$db" >/dev/null
$CALLQA users add checker --role qa --password 'browser-check-2' --db "$db" >/dev/null
$CALLQA users add a1004 --role agent --agent 1004 --password 'browser-check-3' --db "$db" >/dev/null
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
$CALLQA serve --db "$db" --port $port >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -s -o /dev/null "$base/login" && break; sleep 0.2; done
signin() {  # jar user password
  curl -s -c "$1" -b "$1" "$base/login" >"$work/login.html"
  local csrf; csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/login.html" | head -1 | sed 's/.*value="//; s/"//')
  curl -s -o /dev/null -c "$1" -b "$1" -d "csrf=$csrf&next=/&user=$2&password=$3" "$base/login"
}
signin "$work/boss" boss browser-check-1
signin "$work/qa" checker browser-check-2
signin "$work/agent" a1004 browser-check-3
get() { curl -s -b "$1" "$base$2" >"$work/$3.html"; }
get "$work/boss" "/?month=2026-11" agents
get "$work/boss" "/?month=2026-11&lang=en" agents-en
get "$work/boss" "/calls?team=%E4%BA%8C%E7%BB%84&sort=scoreLow" calls
id=$(grep -o 'href="/calls/[0-9]*"' "$work/calls.html" | head -1 | grep -o '[0-9]*')
# The agent disputes a verdict on their own call; the reviewer sees it in the queue and on the call.
agentcsrf=$(curl -s -b "$work/agent" "$base/calls/$id" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -s -o /dev/null -b "$work/agent" -d "csrf=$agentcsrf&rule=R4&text=%E8%AF%AD%E9%80%9F%E6%98%AF%E6%AD%A3%E5%B8%B8%E7%9A%84" "$base/calls/$id/dispute"
get "$work/qa" "/calls/$id" call
get "$work/qa" "/review" review
qacsrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/call.html" | head -1 | sed 's/.*value="//; s/"//')
sheet=$(printf 'call,rule,outcome,score\n%s,R1,pass,90\n%s,R3,fail,90\n%s,R4,pass,90\n' "$id" "$id" "$id" | python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.stdin.read()))')
curl -s -b "$work/qa" -d "csrf=$qacsrf&sheet=$sheet" "$base/calibration" >"$work/calibration.html"
render() { timeout 90 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$work/$1.html" 2>/dev/null; }
fail=0
check() {  # page pattern what
  grep -q -- "$2" <<<"$(render "$1")" || { echo "$1 page: $3 missing"; fail=1; }
}
for agent in 1001 1002 1003 1004; do check agents "/agents/$agent" "agent $agent"; done
check agents 'lang="zh-CN"' "Chinese"
check agents "坐席 · 2026年11月" "Chinese heading"
check agents 'class="band award"' "KPI band"
check agents "王芳" "agent names"
check agents-en "Agents · 2026-11" "English heading"
check calls "通话查询" "heading"
check calls "/calls/$id\"" "the filtered calls"
check call "<svg" "timeline"
check call 'class="seek"' "evidence links"
check call "及时接听" "rule names"
check call "语速是正常的" "the agent's dispute"
check call 'action="/calls/[0-9]*/verdict"' "the reviewer's verdict form"
check review "复核队列" "heading"
check review "语速是正常的" "open dispute"
check calibration "Kappa" "agreement table"
check calibration "及时接听" "rule names"
shots=${SHOTS:-$work/shots}
mkdir -p "$shots"
for page in agents calls call review calibration; do
  timeout 90 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1100 \
    --screenshot="$shots/$page.png" "file://$work/$page.html" >/dev/null 2>&1
  [ -s "$shots/$page.png" ] || { echo "no screenshot of $page"; fail=1; }
done
[ $fail = 0 ] && echo "browser check: agents, calls, call, review and calibration pages render in Chromium (Chinese; English on request)" || exit 1
