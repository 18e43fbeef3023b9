/* The rv32 board's watchdog (docs/reliability.md "Watchdog") and reset cause.
 * Armed around each call into the module: the CLINT's mtimecmp is set to the
 * deadline and the machine timer interrupt enabled (the UART's PLIC interrupt
 * masked meanwhile; only idle's WFI uses it). A call still running at the
 * deadline takes the timer interrupt into system.c's trap handler, which
 * notes the cause and resets the machine: QEMU's reset reloads the firmware
 * and keeps pflash, like a chip's watchdog reset. The note lives in a word of
 * RAM just past the linker's RAM window, which neither the ELF loader nor
 * crt0 touches; it stands in for a chip's reset-reason register. */
#include "watchdog.h"

#include <stdbool.h>

#include "board.h"
#include "csr.h"
#include "hw.h"
#include "idle.h"
#include "protocol.h"
#include "system.h"

#define MSTATUS_MIE (1u << 3)
#define NOTE_MAGIC 0x51525300u /* | cause in the low byte */

static volatile uint32_t *const note = (volatile uint32_t *)RV32_RESET_NOTE;
static bool enabled;

void rv32_watchdog_enable(void) { enabled = true; }

void board_watchdog_arm(uint32_t ms) {
    if (!enabled) return;
    rv32_set_timer(rv32_mtime() + (uint64_t)ms * (RV32_MTIME_HZ / 1000u));
    RV32_CSR_WRITE(mie, RV32_MIE_MTIE);
    RV32_CSR_WRITE(mstatus, RV32_CSR_READ(mstatus) | MSTATUS_MIE);
}

void board_watchdog_disarm(void) {
    if (!enabled) return;
    RV32_CSR_WRITE(mstatus, RV32_CSR_READ(mstatus) & ~MSTATUS_MIE);
    rv32_set_timer(UINT64_MAX);
    RV32_CSR_WRITE(mie, RV32_MIE_MTIE | RV32_MIE_MEIE);
}

_Noreturn void rv32_reset_noting(uint8_t cause) {
    *note = NOTE_MAGIC | cause;
    rv32_reset();
}

uint8_t board_reset_cause(void) {
    uint32_t value = *note;
    *note = 0;
    return (value & ~0xFFu) == NOTE_MAGIC ? (uint8_t)(value & 0xFFu) : RESET_CAUSE_POWER_ON;
}
