/* Polled driver for the 16550 UART of QEMU virt. */
#include "uart.h"

#include <string.h>

#include "hw.h"
#include "system.h"

enum {
    REG_DATA = 0, /* RBR (read) / THR (write); DLL while LCR.DLAB */
    REG_IER = 1,  /* DLM while LCR.DLAB */
    REG_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
};
enum {
    IER_RX_DATA = 0x01,
    LSR_DATA_READY = 0x01,
    LSR_THR_EMPTY = 0x20,
    LCR_8N1 = 0x03,
    LCR_DLAB = 0x80,
    FCR_ENABLE_AND_CLEAR = 0x07,
    MCR_DTR_RTS = 0x03,
};

static inline uint8_t reg_read(unsigned reg) { return rv32_mmio_read8(RV32_UART0_BASE + reg); }
static inline void reg_write(unsigned reg, uint8_t value) { rv32_mmio_write8(RV32_UART0_BASE + reg, value); }

void rv32_uart_init(void) {
    reg_write(REG_IER, 0);
    reg_write(REG_LCR, LCR_DLAB);
    reg_write(REG_DATA, 1); /* divisor 1: QEMU ignores the rate, a real 16550 runs at its top speed */
    reg_write(REG_IER, 0);
    reg_write(REG_LCR, LCR_8N1);
    /* Read by polling; the receive interrupt only wakes the core from WFI
     * (see idle.c), it is never taken as a trap. */
    reg_write(REG_IER, IER_RX_DATA);
    reg_write(REG_FCR, FCR_ENABLE_AND_CLEAR);
    reg_write(REG_MCR, MCR_DTR_RTS);
}

void rv32_uart_write(const uint8_t *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        while (!(reg_read(REG_LSR) & LSR_THR_EMPTY)) {
        }
        reg_write(REG_DATA, data[i]);
    }
}

void rv32_uart_puts(const char *text) { rv32_uart_write((const uint8_t *)text, strlen(text)); }

bool rv32_uart_try_read(uint8_t *byte) {
    if (!(reg_read(REG_LSR) & LSR_DATA_READY)) return false;
    *byte = reg_read(REG_DATA);
    return true;
}

void rv32_uart_discard_until_quiet(uint32_t quiet_ms) {
    const uint64_t quiet_ticks = (uint64_t)quiet_ms * (RV32_MTIME_HZ / 1000u);
    uint64_t last = rv32_mtime();
    uint8_t byte;
    while (rv32_mtime() - last < quiet_ticks) {
        if (rv32_uart_try_read(&byte)) last = rv32_mtime();
    }
}
