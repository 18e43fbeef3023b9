/* Limits of the rv32 port that live in C. The others live where the tools
 * need them, each with its reason: RAM/flash windows and the C stack in
 * rv32.ld, the wasm3 value stack in rv32.mk. */
#ifndef QIOT_RV32_CONFIG_H
#define QIOT_RV32_CONFIG_H

/* At boot, bytes the host wrote to the pty before the firmware ran are
 * dropped until the line has been quiet this long. QEMU buffers them (a real
 * UART would have lost them), and answering each stale HELLO of the host's
 * polling would put late INFO frames on the link. Well below the host's
 * 200 ms HELLO interval, so a live HELLO is at most one interval late. */
#define RV32_BOOT_QUIET_MS 20u

#endif
