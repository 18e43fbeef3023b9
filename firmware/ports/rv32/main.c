/* Entry of the rv32 board firmware: machine set-up, then the core's loop. */
#include "core.h"
#include "idle.h"
#include "rv32_config.h"
#include "system.h"
#include "uart.h"
#include "watchdog.h"

int main(void) {
    rv32_system_init();
    /* The budgets read the stack's high-water mark through QEMU's monitor. */
    rv32_stack_paint();
    rv32_uart_discard_until_quiet(RV32_BOOT_QUIET_MS);
    rv32_idle_init();
    rv32_watchdog_enable();
    return qiot_main();
}
