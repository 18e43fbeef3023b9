/* ESP-IDF side of the board: set-up called once from app_main's task. */
#ifndef QIOT_BOARD_ESP32_H
#define QIOT_BOARD_ESP32_H

#include "esp_err.h"

/* Installs the UART0 driver, finds and maps the "qiot" data partition and
 * subscribes the calling task to the task watchdog. Returns the first
 * failure; the caller restarts the board on error. */
esp_err_t board_esp32_init(void);

/* Writes one line of plain text on UART0 (installing the driver if needed),
 * for failures before the protocol runs; the host quotes it when the board
 * does not answer HELLO. */
void board_esp32_report(const char *text);

#endif
