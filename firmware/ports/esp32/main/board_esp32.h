/* ESP-IDF side of the board: set-up called once from app_main's task. */
#ifndef QIOT_BOARD_ESP32_H
#define QIOT_BOARD_ESP32_H

#include "esp_err.h"

/* Installs the UART0 driver, finds and maps the "qiot" data partition and
 * subscribes the calling task to the task watchdog. Returns the first
 * failure; the caller restarts the board on error. */
esp_err_t board_esp32_init(void);

#endif
