/* Sleeping instead of spinning while the board waits for the host. */
#ifndef QIOT_RV32_IDLE_H
#define QIOT_RV32_IDLE_H

#include <stdint.h>

/* Routes the UART's receive interrupt and the machine timer to the core as
 * wake-up sources. Interrupts stay globally disabled (mstatus.MIE = 0): they
 * end a WFI but never trap. */
enum {
    RV32_MIE_MTIE = 1u << 7,  /* machine timer */
    RV32_MIE_MEIE = 1u << 11, /* machine external (PLIC) */
};

/* Sets hart 0's mtimecmp (UINT64_MAX: never). */
void rv32_set_timer(uint64_t when);

void rv32_idle_init(void);

/* Sleeps until a byte may have arrived or mtime reaches `deadline`; may
 * return early. The caller re-checks both. */
void rv32_idle_until(uint64_t deadline);

#endif
