#ifndef QIOT_RV32_UART_H
#define QIOT_RV32_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void rv32_uart_init(void);
void rv32_uart_write(const uint8_t *data, size_t len);
void rv32_uart_puts(const char *text);
/* Takes one received byte if the receiver holds one. */
bool rv32_uart_try_read(uint8_t *byte);
/* Reads and drops received bytes until none arrived for quiet_ms. */
void rv32_uart_discard_until_quiet(uint32_t quiet_ms);

#endif
