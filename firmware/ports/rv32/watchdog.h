/* The rv32 board's watchdog and reset cause (watchdog.c). */
#ifndef QIOT_RV32_WATCHDOG_H
#define QIOT_RV32_WATCHDOG_H

#include <stdint.h>

/* The board turns it on; the bench ELF, which runs long calls on purpose,
 * leaves it off (board_watchdog_arm then does nothing). */
void rv32_watchdog_enable(void);
/* Notes the cause (enum qiot_reset_cause) for the next boot, then resets. */
_Noreturn void rv32_reset_noting(uint8_t cause);

#endif
