/* Sleeping instead of spinning while the board waits for the host. */
#ifndef QIOT_RV32_IDLE_H
#define QIOT_RV32_IDLE_H

#include <stdint.h>

/* Routes the UART's receive interrupt and the machine timer to the core as
 * wake-up sources. Interrupts stay globally disabled (mstatus.MIE = 0): they
 * end a WFI but never trap. */
void rv32_idle_init(void);

/* Sleeps until a byte may have arrived or mtime reaches `deadline`; may
 * return early. The caller re-checks both. */
void rv32_idle_until(uint64_t deadline);

#endif
