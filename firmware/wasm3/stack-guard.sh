#!/bin/sh
# Our build-time patch of wasm3 0.5.0 (the sources stay fetched, never
# committed): a native stack guard. wasm3 runs every wasm call as nested C
# calls, so a module that recurses deeply overflows the C stack (a crash)
# long before wasm3's own value-stack check traps. This adds a second check at
# function entry (op_Entry), beside the value-stack one: when the C stack has
# grown below qiot_native_stack_limit the call traps with
# "[trap] stack overflow (native stack guard)". The runner sets the limit before each call into the
# module (firmware/core/runner.c, QIOT_NATIVE_STACK_BYTES); 0, the default,
# never trips, so other users of these sources are unaffected.
#   usage: stack-guard.sh WASM3_SOURCE_DIR
set -eu
dir=$1
exec_h=$dir/m3_exec.h
core_c=$dir/m3_core.c
check='if (LIKELY ((void *) (_sp + function->maxStackSlots) < _mem->maxStack))'
guard='if (UNLIKELY ((char *) __builtin_frame_address (0) <= (char *) qiot_native_stack_limit)) newTrap (qiot_trap_native_stack);'
grep -qF "$check" "$exec_h" || { echo "stack-guard.sh: op_Entry's stack check not found in $exec_h" >&2; exit 1; }
grep -qF '#include "m3_exec_defs.h"' "$exec_h" || { echo "stack-guard.sh: include line not found in $exec_h" >&2; exit 1; }
sed -i "s|^\( *\)$(printf '%s' "$check" | sed 's/[][\.*^$|]/\\&/g')|\1$guard\n&|" "$exec_h"
sed -i 's|#include "m3_exec_defs.h"|#include "m3_exec_defs.h"\nextern void * qiot_native_stack_limit; /* qiot: native stack guard */\nextern M3Result qiot_trap_native_stack;|' "$exec_h"
printf '\n/* qiot: native stack guard (firmware/wasm3/stack-guard.sh) */\nvoid * qiot_native_stack_limit = 0;\nM3Result qiot_trap_native_stack = "[trap] stack overflow (native stack guard)";\n' >> "$core_c"
grep -q 'newTrap (qiot_trap_native_stack)' "$exec_h" || { echo "stack-guard.sh: patch did not apply to $exec_h" >&2; exit 1; }
