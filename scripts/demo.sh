#!/usr/bin/env bash
# make demo: train NLR on Iris on the emulated board — start the posix board,
# flash the module, train with live progress, save the run log and a plot.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${QIOT_DEMO_OUT:-runs}
config=${QIOT_DEMO_CONFIG:-examples/iris-nlr.json}
qiot=(node host/bin/qiot.js)
mkdir -p "$out" build

port_file=$(mktemp)
"${qiot[@]}" emulate --state build/demo-board.state >"$port_file" &
board_pid=$!
trap 'kill "$board_pid" 2>/dev/null; wait "$board_pid" 2>/dev/null; rm -f "$port_file"' EXIT

for _ in $(seq 100); do
  grep -q '^PORT ' "$port_file" && break
  kill -0 "$board_pid" 2>/dev/null || { echo "demo: the emulated board did not start" >&2; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/^PORT //p' "$port_file")
[ -n "$port" ] || { echo "demo: the emulated board printed no port" >&2; exit 1; }
echo "demo: emulated board on $port"

"${qiot[@]}" flash build/qiot.wasm --port "$port"
"${qiot[@]}" train --port "$port" --config "$config" --out "$out/iris-nlr.jsonl"
"${qiot[@]}" plot "$out/iris-nlr.jsonl" --out "$out/iris-nlr.svg"
echo "demo: run log $out/iris-nlr.jsonl, plot $out/iris-nlr.svg and $out/iris-nlr.png"
