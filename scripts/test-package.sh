#!/usr/bin/env bash
# The installable package, tested as a user meets it: `npm pack`, then `npm install`
# of the tarball into an empty folder (dependencies from the registry or npm's
# cache), then the installed `qiot`: --help, sim, eval, the library API from a
# TypeScript script (type-checked against the shipped .d.ts), and `qiot emulate`,
# whose posix board firmware is built on first use with the user's cc (the pinned
# pywasm3 sdist is pre-seeded from build/deps/ so the test needs no PyPI).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qiot-package-XXXXXX")
EMULATOR=""
cleanup() {
  if [ -n "$EMULATOR" ]; then kill "$EMULATOR" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "test-package: FAIL: $*" >&2
  exit 1
}
step() { echo "test-package: $*"; }

cd "$ROOT"
TARBALL="$WORK/$(npm pack --pack-destination "$WORK" --silent | tail -1)"
tar -tzf "$TARBALL" | sed 's|^package/||' | sort > "$WORK/files.txt"
step "packed $(basename "$TARBALL"): $(wc -l < "$WORK/files.txt") files, $(du -k "$TARBALL" | cut -f1) KiB"
for f in dist/host/src/cli/main.js dist/host/src/index.js dist/host/src/index.d.ts dist/host/src/pool/bootstrap.mjs \
  host/bin/qiot.js build/qiot.wasm build/qiot-f32.wasm build/qiot-host.wasm build/dashboard/app.js build/dashboard/index.html \
  firmware/firmware.mk firmware/wasm3/stack-guard.sh firmware/wasm3/wrapping-int-ops.sh firmware/wasm3/aligned-access.sh firmware/core/core.c firmware/ports/posix/main.c examples/iris-nlr.json docs/runlog.md README.md; do
  grep -qx "$f" "$WORK/files.txt" || fail "the package lacks $f"
done
if grep -E '^(docs/results/|docs/benchmarks/|bench/|hil-tests/|node_modules/|host/src/|runtime/|firmware/tests/)|\.test\.(ts|js|d\.ts)$|\.map$' "$WORK/files.txt"; then
  fail "the package holds the files above (results, benchmarks, tests, sources, maps)"
fi

mkdir "$WORK/app"
cd "$WORK/app"
echo '{"name":"qiot-package-test","version":"1.0.0","private":true,"type":"module"}' > package.json
npm install --no-audit --no-fund --loglevel=error "$TARBALL" > "$WORK/npm-install.log" 2>&1 || { cat "$WORK/npm-install.log"; fail "npm install of the tarball"; }
[ ! -e node_modules/qiot/host/src ] || fail "the installed package has TypeScript sources"
step "installed into an empty folder"

npx qiot --help | grep -q '^  sim ' || fail "qiot --help lists no sim command"
npx qiot sim --config node_modules/qiot/examples/iris-nlr.json --steps 3 --out run.jsonl > sim.out
grep -q '^nlr: completed · 3 steps' sim.out || fail "qiot sim: $(cat sim.out)"
npx qiot eval run.jsonl --json | grep -q '"n_train":75' || fail "qiot eval"
step "npx qiot sim and qiot eval ran"

cat > script.ts <<'TS'
import { readRunLog, simulate, type RunResult } from 'qiot';
const result: RunResult = await simulate('node_modules/qiot/examples/iris-nlr.json', { steps: 2, out: 'api.jsonl' });
const log = readRunLog('api.jsonl');
if (log.steps.length !== 2 || result.summary.params?.length !== result.summary.param_count) throw new Error('library run differs');
console.log(`api ${result.summary.status} ${log.steps.length}`);
TS
"$ROOT/node_modules/.bin/tsc" --noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext \
  --typeRoots "$ROOT/node_modules/@types" --types node script.ts || fail "script.ts does not type-check against the shipped .d.ts"
cp script.ts script.mts && sed -i 's/, type RunResult//; s/: RunResult//' script.mts && mv script.mts script.mjs
[ "$(node script.mjs)" = "api completed 2" ] || fail "the library API script"
step "the library API type-checks and runs"

export QIOT_CACHE_DIR="$WORK/cache"
mkdir -p "$QIOT_CACHE_DIR/deps"
cp "$ROOT"/build/deps/pywasm3-*.tar.gz "$QIOT_CACHE_DIR/deps/"
# The installed bin itself (not npx): $! is then the qiot process, which stops its board on SIGTERM.
node_modules/.bin/qiot emulate > emulate.out 2> emulate.err &
EMULATOR=$!
for _ in $(seq 1 600); do
  grep -q '^PORT ' emulate.out 2>/dev/null && break
  kill -0 "$EMULATOR" 2>/dev/null || { cat emulate.err; fail "qiot emulate exited"; }
  sleep 0.5
done
PORT=$(sed -n 's/^PORT //p' emulate.out)
[ -n "$PORT" ] || { cat emulate.err; fail "qiot emulate printed no PORT"; }
[ -x "$QIOT_CACHE_DIR/firmware/posix/qiot-board" ] || fail "the posix board was not built into the cache"
npx qiot info --port "$PORT" > info.out || { cat info.out; fail "qiot info on the emulated board"; }
step "npx qiot emulate built the posix board on first use and answers on $PORT"
kill -TERM "$EMULATOR"
wait "$EMULATOR" || true
EMULATOR=""
echo "test-package: 1 passed, 0 failed"
