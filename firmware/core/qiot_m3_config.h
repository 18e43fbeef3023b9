/* wasm3 build settings for qiot, force-included (-include) before every wasm3
 * and core source so the library and its users agree. wasm3 0.5.0 (pywasm3
 * 0.5.0's wasm3/) guards each of these with #ifndef in m3_config.h.
 *
 * Settings found in newer wasm3 but absent from 0.5.0, hence not set here:
 * d_m3CascadedOpcodes (0.5.0 always dispatches opcodes the cascaded way, so
 * the trunc_sat breakage of pitfall 4 cannot occur), d_m3MaxNativeStack and
 * d_m3HasWASI (0.5.0 as shipped in pywasm3 has no WASI sources; qiot imports
 * only env.abort). */
#ifndef QIOT_M3_CONFIG_H
#define QIOT_M3_CONFIG_H

/* Compiled code pages of 1 KiB instead of 4 KiB: the module is a few KiB, so
 * big pages only waste heap on an MCU (pitfall 5). */
#define d_m3CodePageAlignSize 1024
/* Compiler stack height per function (and, doubled, slots per function). It
 * sizes arrays in wasm3's M3Runtime: on the heap, and once more on the C stack
 * while load evaluates the module's initialisers, 5 bytes per unit each.
 * qiot.wasm needs 66 (wasm3 0.5.0 refuses to compile it at 65); 128, wasm3's
 * own ESP32 default, keeps ~2x headroom. A module that needs more fails at load
 * with "compiling function overran its stack height limit", never while
 * running. 256 cost 1.3 KiB more RAM on rv32 (docs/rv32.md); wasm3's desktop
 * default 2000 ~16 KiB. */
#define d_m3MaxFunctionStackHeight 128
/* Error strings name the problem (MODULE_INVALID text); they cost ~1 KiB of
 * flash, which every target can spare. */
#define d_m3VerboseErrorMessages 1
/* Keep the 0xFC opcodes (trunc_sat, memory.copy/fill) that AssemblyScript
 * 0.28 emits by default. */
#define d_m3EnableExtendedOpcodes 1
/* The module declares one page (docs/abi.md); refusing more keeps a bad
 * module from asking for more RAM than an MCU has. */
#define d_m3MaxLinearMemoryPages 1
/* Heap comes from the port's malloc; no fixed arena of wasm3's own. */
#define d_m3FixedHeap 0
/* Keep stack and bounds checks: a trap must be a clean error, never a
 * corrupted board. */
#define d_m3SkipStackCheck 0
#define d_m3SkipMemoryBoundsCheck 0
/* No backtraces, profiling or tracing: they allocate and print. */
#define d_m3RecordBacktraces 0
#define d_m3EnableOpProfiling 0
#define d_m3EnableStrace 0

#endif
