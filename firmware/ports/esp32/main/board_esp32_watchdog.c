/* The ESP32 board's watchdog and reset cause (docs/reliability.md
 * "Watchdog"): the ESP-IDF task watchdog, which the qiot task subscribes to
 * at start (board_esp32.c). Its timeout is fixed by sdkconfig
 * (CONFIG_ESP_TASK_WDT_TIMEOUT_S) rather than per call, so arming feeds it:
 * a call into the module that outlives that timeout panics and restarts the
 * chip (CONFIG_ESP_TASK_WDT_PANIC), and the next boot reads the reason. */
#include "board.h"
#include "esp_system.h"
#include "esp_task_wdt.h"
#include "protocol.h"

void board_watchdog_arm(uint32_t ms) {
    (void)ms;
    esp_task_wdt_reset();
}

void board_watchdog_disarm(void) { esp_task_wdt_reset(); }

uint8_t board_reset_cause(void) {
    switch (esp_reset_reason()) {
    case ESP_RST_SW:
        return RESET_CAUSE_REQUEST; /* esp_restart(): RESET, or a failed start */
    case ESP_RST_TASK_WDT:
    case ESP_RST_INT_WDT:
    case ESP_RST_WDT:
        return RESET_CAUSE_WATCHDOG;
    case ESP_RST_PANIC:
        return RESET_CAUSE_CRASH;
    default:
        return RESET_CAUSE_POWER_ON;
    }
}
