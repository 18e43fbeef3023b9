#!/bin/sh
# Our build-time patch of wasm3 0.5.0 (the sources stay fetched, never
# committed): integer add, subtract and multiply that wrap as wasm says.
# wasm3 computes i32/i64 add, sub and mul on signed C types, so a module whose
# arithmetic wraps (INT32_MIN - 1 is a plain i32.sub in wasm) is undefined
# behaviour in C: found by the frames fuzzer under UBSan (m3_exec.h,
# "signed integer overflow: -2147483648 - 1"). The patched ops compute on the
# unsigned type and convert back, which is two's-complement wrapping on every
# compiler we build with (gcc, clang; the conversion is implementation-defined,
# not undefined), and leaves the instructions generated for them unchanged.
#   usage: wrapping-int-ops.sh WASM3_SOURCE_DIR
set -eu
exec_h=$1/m3_exec.h
for line in \
  'd_m3CommutativeOp_i (i32, Add,              +)      d_m3CommutativeOp_i (i64, Add,              +)' \
  'd_m3CommutativeOp_i (i32, Multiply,         \*)      d_m3CommutativeOp_i (i64, Multiply,         \*)' \
  'd_m3Op_i (i32, Subtract,                    -)      d_m3Op_i (i64, Subtract,                    -)'; do
  grep -q "^$line\$" "$exec_h" || { echo "wrapping-int-ops.sh: not found in $exec_h: $line" >&2; exit 1; }
done
sed -i \
  -e 's/^d_m3CommutativeOp_i (i32, Add, .*$/#define OP_WRAP_ADD_32(A,B) ((i32) ((u32) (A) + (u32) (B)))  \/* qiot: wrapping-int-ops.sh *\/\
#define OP_WRAP_ADD_64(A,B) ((i64) ((u64) (A) + (u64) (B)))\
#define OP_WRAP_MUL_32(A,B) ((i32) ((u32) (A) * (u32) (B)))\
#define OP_WRAP_MUL_64(A,B) ((i64) ((u64) (A) * (u64) (B)))\
#define OP_WRAP_SUB_32(A,B) ((i32) ((u32) (A) - (u32) (B)))\
#define OP_WRAP_SUB_64(A,B) ((i64) ((u64) (A) - (u64) (B)))\
d_m3CommutativeOpFunc_i (i32, Add, OP_WRAP_ADD_32)      d_m3CommutativeOpFunc_i (i64, Add, OP_WRAP_ADD_64)/' \
  -e 's/^d_m3CommutativeOp_i (i32, Multiply, .*$/d_m3CommutativeOpFunc_i (i32, Multiply, OP_WRAP_MUL_32) d_m3CommutativeOpFunc_i (i64, Multiply, OP_WRAP_MUL_64)/' \
  -e 's/^d_m3Op_i (i32, Subtract, .*$/d_m3OpFunc_i (i32, Subtract, OP_WRAP_SUB_32)      d_m3OpFunc_i (i64, Subtract, OP_WRAP_SUB_64)/' \
  "$exec_h"
test "$(grep -o ', OP_WRAP_\(ADD\|MUL\|SUB\)_\(32\|64\))' "$exec_h" | wc -l)" = 6 \
  || { echo "wrapping-int-ops.sh: patch did not apply to $exec_h" >&2; exit 1; }
