#!/usr/bin/env bash
# make demo: train NLR on Iris on the emulated board — start the posix board,
# flash the module, train with live progress, save the run log and a plot. The
# web dashboard runs beside it (its URL is printed) and follows the run log.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${QIOT_DEMO_OUT:-runs}
config=${QIOT_DEMO_CONFIG:-examples/iris-nlr.json}
qiot=(node host/bin/qiot.js)
mkdir -p "$out" build

port_file=$(mktemp)
"${qiot[@]}" emulate --state build/demo-board.state >"$port_file" &
board_pid=$!
dash_file=$(mktemp)
"${qiot[@]}" dashboard --runs "$out" --port "${QIOT_DEMO_DASHBOARD_PORT:-0}" >"$dash_file" 2>&1 &
dash_pid=$!
trap 'kill "$board_pid" "$dash_pid" 2>/dev/null; wait "$board_pid" "$dash_pid" 2>/dev/null; rm -f "$port_file" "$dash_file"' EXIT

for _ in $(seq 100); do
  grep -q '^PORT ' "$port_file" && break
  kill -0 "$board_pid" 2>/dev/null || { echo "demo: the emulated board did not start" >&2; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/^PORT //p' "$port_file")
[ -n "$port" ] || { echo "demo: the emulated board printed no port" >&2; exit 1; }
echo "demo: emulated board on $port"

"${qiot[@]}" flash build/qiot.wasm --port "$port"

# The dashboard (optional: the demo trains without it if it cannot start).
for _ in $(seq 300); do
  grep -q '^dashboard: http' "$dash_file" && break
  kill -0 "$dash_pid" 2>/dev/null || break
  sleep 0.1
done
url=$(sed -n 's/^dashboard: \(http.*\)/\1/p' "$dash_file")
if [ -n "$url" ]; then echo "demo: dashboard on $url"; else echo "demo: the dashboard did not start (training goes on): $(cat "$dash_file")" >&2; fi
"${qiot[@]}" train --port "$port" --config "$config" --out "$out/iris-nlr.jsonl" --force
"${qiot[@]}" plot "$out/iris-nlr.jsonl" --out "$out/iris-nlr.svg"
echo "demo: run log $out/iris-nlr.jsonl, plot $out/iris-nlr.svg and $out/iris-nlr.png"
