#include <stdint.h>

#include "system.h"
#include "uart.h"

int main(void) {
  rv32_system_init();
  rv32_uart_puts("hello from rv32\r\n");
  uint64_t start = rv32_mtime();
  while (rv32_mtime() - start < 100000) {
  }
  rv32_uart_puts("10 ms later\r\n");
  return 0;
}
