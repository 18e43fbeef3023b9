/* Every qiot firmware limit, in one place, each with the reason for its value.
 * Ports may override a value with -D only where noted. */
#ifndef QIOT_CONFIG_H
#define QIOT_CONFIG_H

/* The module ABI (sizes, offsets, codes), generated from abi/qiot-abi.ts. */
#include "qiot_abi.h"

/* Wire protocol version carried in every frame header (docs/protocol.md). */
#define QIOT_PROTOCOL_VERSION 1u
#define QIOT_FIRMWARE_VERSION "0.1.0"

/* Largest frame payload: a 1020-byte upload chunk plus its u32 offset. Keeps
 * the receive buffer ~1 KiB, which every target can afford. */
#define QIOT_MAX_PAYLOAD 1024u
/* Header: u8 version, u8 type, u16 seq, u16 length. */
#define QIOT_HEADER_SIZE 6u
#define QIOT_CRC_SIZE 4u
#define QIOT_MAX_RAW_FRAME (QIOT_HEADER_SIZE + QIOT_MAX_PAYLOAD + QIOT_CRC_SIZE)
/* COBS adds one code byte per 254 data bytes (+1 for the first block); the
 * protocol rounds the bound up to 1040 encoded bytes before the delimiter. */
#define QIOT_MAX_ENCODED_FRAME 1040u
/* Data bytes in one UPLOAD_CHUNK: the payload minus its u32 offset. */
#define QIOT_MAX_CHUNK_DATA (QIOT_MAX_PAYLOAD - 4u)
/* UPLOAD_CHUNK frames a host may keep unacknowledged (docs/protocol.md). The
 * core handles frames one by one; a port's serial receive buffer must hold
 * this many maximal frames (8 × 1041 bytes) so none is lost meanwhile. */
#define QIOT_UPLOAD_WINDOW 8u

/* A/B module store: two slots so an upload never overwrites the active one. */
#define QIOT_SLOT_COUNT 2
/* 32 KiB per slot: qiot.wasm is ~4-16 KiB; twice the largest expected
 * module leaves room to grow while fitting two slots in a 64 KiB partition. */
#ifndef QIOT_SLOT_SIZE
#define QIOT_SLOT_SIZE (32u * 1024u)
#endif
/* Commit record: two copies written alternately so a torn write keeps the
 * other (older but valid) copy. 64 bytes holds magic, generation, slot, size,
 * sha256 and CRC with room to spare, and is one flash write unit everywhere. */
#define QIOT_RECORD_COPIES 2
#define QIOT_RECORD_SIZE 64u

/* Telemetry ring: the last 64 TELEMETRY payloads (72 bytes each, 4.6 KiB)
 * cover several seconds of steps so a host that lost frames can refetch. */
#define QIOT_RING_CAPACITY 64u
#define QIOT_TELEMETRY_PAYLOAD_SIZE (8u + QIOT_TELEMETRY_RECORD_SIZE)

/* wasm3 value stack per runtime. The module's deepest call chain is a few
 * frames of at most a few dozen slots; 8 KiB leaves a wide margin and fits
 * the ESP32-C3 heap next to the 64 KiB linear-memory page. */
#ifndef QIOT_WASM_STACK_BYTES
#define QIOT_WASM_STACK_BYTES (8u * 1024u)
#endif
/* 1: compile every module function at load (a function wasm3 cannot compile
 * fails the load with MODULE_INVALID). 0: compile the exports at load and every
 * other function on its first call (wasm3's op_Compile), so functions a run
 * never calls (other optimizers, costs, the shot sampler, sv_*) take no RAM;
 * a function that then fails to compile stops that call with MODULE_TRAP.
 * The module check (wasm_check.c) runs before either. Ports with tight RAM
 * choose 0 (rv32.mk, docs/rv32.md). */
#ifndef QIOT_COMPILE_AT_LOAD
#define QIOT_COMPILE_AT_LOAD 1
#endif
/* WebAssembly page size; the module declares exactly one page (docs/abi.md). */
#define QIOT_WASM_PAGE_SIZE 65536u

/* Longest text in an ERROR/LOG payload we compose; keeps stack use bounded. */
#define QIOT_MAX_TEXT 200u

/* Serial poll timeout while idle: short enough that a port's idle hook runs
 * often, long enough not to spin the CPU. While training the core polls with
 * timeout 0 between slices so STOP/STATUS are answered within one slice. */
#define QIOT_IDLE_POLL_MS 20u
/* A training step runs in slices (docs/abi.md "Stepping in slices"), one
 * slice per main-loop pass, the link serviced between slices (issue 15 "never
 * deaf"). A slice calls step_continue(QIOT_STEP_SLICE_UNITS) until the step
 * ends or QIOT_STEP_SLICE_US have passed. One unit (one circuit evaluation,
 * at most 4 for an adjoint sample) is the finest grain, so a slice lasts at
 * most 20 ms + one call whatever the board's speed: the 1 s answer goal holds
 * while one call does (a 10-qubit circuit takes milliseconds on posix; not
 * measured on the MCU targets). 20 ms keeps the serial poll and wasm3 call
 * overhead per slice small and a small step (a few circuits) still runs in
 * a single pass. */
#define QIOT_STEP_SLICE_UNITS 1
#define QIOT_STEP_SLICE_US 20000u
/* Trial boot (docs/reliability.md): a module committed over another is
 * pending until the host confirms it (CONFIRM) or it completes this many
 * training steps; a board that resets while it is pending boots the previous
 * module. Ten steps have run init, step_begin/step_continue, the telemetry
 * path and, with shots, the sampler many times over: a module that hangs or
 * crashes on its ordinary path does so by then. A quick run (the demo's,
 * the tests') is longer, so a module that trains is confirmed by training. */
#define QIOT_TRIAL_STEPS 10u
/* Watchdog around each call into the module (board_watchdog_arm): a call
 * still running after its bound resets the board, which then reverts a
 * pending module (docs/reliability.md "Watchdog"). A sliced call is one unit
 * of a step (QIOT_STEP_SLICE_UNITS: one circuit, milliseconds) or one of the
 * module's constant getters; 5 s is a wide margin over that on a loaded
 * machine or an emulator, and a board stuck there is back within seconds. A
 * port may override it with -D (posix: --watchdog-ms). */
#ifndef QIOT_WATCHDOG_MS
#define QIOT_WATCHDOG_MS 5000u
#endif
/* Unsliced calls: init, param_count, error_message and evaluate/accuracy
 * over a whole split at the end of a run. evaluate runs one circuit per
 * sample: a full dataset region (~300 samples) of the largest circuits the
 * step-cost bound admits takes seconds on posix (10 ms per 10-qubit,
 * 12-layer circuit) and tens of times that on an MCU; 120 s covers it. */
#ifndef QIOT_WATCHDOG_UNSLICED_MS
#define QIOT_WATCHDOG_UNSLICED_MS 120000u
#endif
/* Native (C) stack that a call into the module may use below the runner's
 * frame. wasm3 runs each wasm call as nested C calls; our patch of wasm3
 * (firmware/wasm3/stack-guard.sh) traps "[trap] stack overflow (native stack
 * guard)" at a function entry past this, so deep recursion is a trap, never a
 * C stack overflow, whatever a port's frame sizes (Xtensa's windowed ABI
 * uses far more per call than rv32). qiot.wasm's call chains are a few frames
 * deep; 6 KiB leaves the 16 KiB C stacks of rv32 and the ESP32-C3 qiot task
 * room for the core's frames above the runner and for leaf calls below the
 * last checked entry. */
#ifndef QIOT_NATIVE_STACK_BYTES
#define QIOT_NATIVE_STACK_BYTES (6u * 1024u)
#endif
/* Bytes pulled from the serial link per read. */
#define QIOT_SERIAL_CHUNK 256u

/* Module checker (wasm_check.c), run on module bytes before wasm3 sees them.
 * Each limit is well above what qiot.wasm needs (measured on the 14.7 KB
 * module of this tree: 24 types of at most 10 params, 91 functions, 69
 * globals, 25 exports, at most 16 locals, an operand stack of 10 and 8 nested
 * blocks per function, no table) and bounds the checker's static state
 * (~3 KiB) and wasm3's work. */
#define QIOT_WASM_MAX_TYPES 64u
#define QIOT_WASM_MAX_PARAMS 16u
#define QIOT_WASM_MAX_FUNCS 256u
#define QIOT_WASM_MAX_GLOBALS 128u
#define QIOT_WASM_MAX_EXPORTS 64u
/* Locals (with params) and operand stack per function: wasm3 keeps both in
 * d_m3MaxFunctionStackHeight (128) compile-time slots, so more than this
 * could never compile anyway. */
#define QIOT_WASM_MAX_LOCALS 128u
#define QIOT_WASM_MAX_STACK 128u
#define QIOT_WASM_MAX_DEPTH 64u
#define QIOT_WASM_MAX_BR_TABLE 256u
#define QIOT_WASM_MAX_TABLE 256u
/* docs/abi.md: the module declares exactly one page (also wasm3's limit). */
#define QIOT_WASM_MAX_PAGES 1u

/* Security (docs/security.md). Trusted module-signing keys a board holds: two
 * lets a fleet rotate keys (provision old + new, re-sign, drop the old). */
#define QIOT_MAX_TRUSTED_KEYS 2u
/* The key record (trusted keys, control key, boot counter): two copies
 * written alternately like the commit record; 128 bytes hold 2 x 32-byte
 * keys, the 32-byte control key and the counters with room to spare. */
#define QIOT_KEYS_COPIES 2
#define QIOT_KEYS_RECORD_SIZE 128u
/* HMAC-SHA256 control key (32 bytes: the hash's full strength) and the tag
 * kept on the wire: 16 bytes (128 bits) is beyond any online forgery budget
 * over a serial line, and saves 16 bytes per frame. */
#define QIOT_CONTROL_KEY_SIZE 32u
#define QIOT_AUTH_TAG_SIZE 16u
/* u32 counter ‖ tag appended to an authenticated request. */
#define QIOT_AUTH_TRAILER_SIZE (4u + QIOT_AUTH_TAG_SIZE)
/* Per-boot session nonce: u32 boot counter ‖ u64 boot time ‖ 4 zero bytes. */
#define QIOT_NONCE_SIZE 16u
/* Longest target name a signed manifest may carry (board_name()). */
#define QIOT_MAX_TARGET_NAME 32u

#endif
