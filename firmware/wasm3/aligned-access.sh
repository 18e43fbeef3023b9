#!/bin/sh
# Our build-time patch of wasm3 0.5.0 (the sources stay fetched, never
# committed): word-sized linear-memory access when the address allows it.
# wasm3 reads and writes linear memory through memcpy so that unaligned wasm
# accesses work on every core; on a core that gcc assumes slow at unaligned
# access (rv32, -mtune's default) that memcpy becomes byte loads and stores,
# ~11 of the ~30 instructions of every load and store op. The patch tests the
# address and uses an aligned copy (one lw/sw) when it is aligned, the original
# memcpy otherwise: the same bytes either way, on every core (docs/rv32.md
# "Fewer instructions per amplitude").
#   usage: aligned-access.sh WASM3_SOURCE_DIR
set -eu
dir=$1
exec_h=$dir/m3_exec.h
read_call='memcpy(&value, src8, sizeof(value));'
write_call='memcpy(mem8, &val, sizeof(val));'
[ "$(grep -cF "$read_call" "$exec_h")" = 2 ] || { echo "aligned-access.sh: the 2 load copies not found in $exec_h" >&2; exit 1; }
[ "$(grep -cF "$write_call" "$exec_h")" = 4 ] || { echo "aligned-access.sh: the 4 store copies not found in $exec_h" >&2; exit 1; }
grep -qF '#include "m3_exec_defs.h"' "$exec_h" || { echo "aligned-access.sh: include line not found in $exec_h" >&2; exit 1; }
sed -i "s|memcpy(&value, src8, sizeof(value));|qiot_mem_read(value, src8);|; s|memcpy(mem8, &val, sizeof(val));|qiot_mem_write(mem8, val);|" "$exec_h"
# Alignment asked of a value of n bytes: n up to 4, 4 for 8-byte values (two word accesses on rv32).
sed -i 's|#include "m3_exec_defs.h"|#include "m3_exec_defs.h"\
/* qiot: aligned fast path for linear-memory access (firmware/wasm3/aligned-access.sh) */\
#define qiot_mem_align(v) ((sizeof (v) - 1) \& 3)\
#define qiot_mem_read(v, p) do { if (((uintptr_t) (p) \& qiot_mem_align (v)) == 0) { typedef __typeof__ (v) __attribute__ ((may_alias, aligned (qiot_mem_align (v) + 1))) qiot_word; (v) = * (const qiot_word *) (p); } else memcpy (\&(v), (p), sizeof (v)); } while (0)\
#define qiot_mem_write(p, v) do { if (((uintptr_t) (p) \& qiot_mem_align (v)) == 0) { typedef __typeof__ (v) __attribute__ ((may_alias, aligned (qiot_mem_align (v) + 1))) qiot_word; * (qiot_word *) (p) = (v); } else memcpy ((p), \&(v), sizeof (v)); } while (0)|' "$exec_h"
[ "$(grep -cF 'qiot_mem_read(value, src8);' "$exec_h")" = 2 ] && [ "$(grep -cF 'qiot_mem_write(mem8, val);' "$exec_h")" = 4 ] \
  && grep -qF '#define qiot_mem_read' "$exec_h" || { echo "aligned-access.sh: patch did not apply to $exec_h" >&2; exit 1; }
