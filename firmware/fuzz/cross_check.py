#!/usr/bin/env python3
"""Second opinion on the module check: every module that wasm-check (the
firmware's core/wasm_check.c) accepts must also be valid for wabt's
wasm-validate, an independent WebAssembly validator. Run on the module
fuzzer's corpus, where libFuzzer keeps the inputs that reached new code.

Usage: cross_check.py WASM_CHECK FILE_OR_DIR...  Exit 1 on a disagreement."""

import subprocess
import sys
from pathlib import Path

checker, targets = sys.argv[1], sys.argv[2:]
files = sorted(str(f) for t in targets for f in (Path(t).iterdir() if Path(t).is_dir() else [Path(t)]) if f.is_file())
accepted = []
for start in range(0, len(files), 200):
    out = subprocess.run([checker, *files[start:start + 200]], capture_output=True, text=True, check=True).stdout
    accepted += [line[3:] for line in out.splitlines() if line.startswith("ok ")]
disagree = [f for f in accepted if subprocess.run(["wasm-validate", f], capture_output=True).returncode != 0]
for f in disagree:
    print(f"accepted by wasm-check, invalid for wasm-validate: {f}", file=sys.stderr)
print(f"cross-check: {len(files)} modules, {len(accepted)} accepted, {len(disagree)} of those invalid for wabt")
sys.exit(1 if disagree else 0)
