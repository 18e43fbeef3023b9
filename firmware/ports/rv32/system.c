#include "system.h"

#include <errno.h>
#include <stdbool.h>

#include "csr.h"
#include "hw.h"
#include "protocol.h"
#include "uart.h"
#include "watchdog.h"

/* Symbols of rv32.ld / picolibc.ld. */
extern char __heap_start[], __heap_end[], __stack[];

static const uint32_t STACK_PAINT = 0x5a17c0deu;
static char *heap_break = __heap_start;

_Noreturn void _exit(int code) {
    uint32_t command = code == 0 ? RV32_TEST_PASS : RV32_TEST_FAIL | ((uint32_t)code << 16);
    rv32_mmio_write32(RV32_TEST_DEVICE, command);
    for (;;) {
    }
}

_Noreturn void rv32_reset(void) {
    rv32_mmio_write32(RV32_TEST_DEVICE, RV32_TEST_RESET);
    for (;;) {
    }
}

static void put_hex(uint32_t value) {
    char text[9];
    for (int i = 7; i >= 0; i--) {
        text[i] = "0123456789abcdef"[value & 0xf];
        value >>= 4;
    }
    text[8] = '\0';
    rv32_uart_puts(text);
}

#define MCAUSE_MACHINE_TIMER 0x80000007u

/* The machine timer interrupt is enabled only while the watchdog is armed
 * (watchdog.c): a call into the module ran past its bound, so reset. Any
 * other trap is fatal (nothing else is expected to trap: wasm traps are
 * software checks inside wasm3): name it on the UART and stop QEMU with a
 * failure code so scripted runs end instead of hanging. */
__attribute__((interrupt("machine"), aligned(4))) static void fatal_trap(void) {
    if (RV32_CSR_READ(mcause) == MCAUSE_MACHINE_TIMER) rv32_reset_noting(RESET_CAUSE_WATCHDOG);
    rv32_uart_puts("\r\nqiot rv32: fatal trap mcause=0x");
    put_hex(RV32_CSR_READ(mcause));
    rv32_uart_puts(" mepc=0x");
    put_hex(RV32_CSR_READ(mepc));
    rv32_uart_puts(" mtval=0x");
    put_hex(RV32_CSR_READ(mtval));
    rv32_uart_puts("\r\n");
    _exit(3);
}

void rv32_system_init(void) {
    RV32_CSR_WRITE(mtvec, (uint32_t)(uintptr_t)&fatal_trap);
    rv32_uart_init();
}

uint64_t rv32_mtime(void) {
    uint32_t hi, lo, again;
    do {
        hi = rv32_mmio_read32(RV32_CLINT_MTIME + 4);
        lo = rv32_mmio_read32(RV32_CLINT_MTIME);
        again = rv32_mmio_read32(RV32_CLINT_MTIME + 4);
    } while (hi != again);
    return ((uint64_t)hi << 32) | lo;
}

/* picolibc's nano-malloc grows its arena through sbrk; this one stays inside
 * the linker's heap window and lets the budgets read the high-water mark. */
void *sbrk(ptrdiff_t increment) {
    char *previous = heap_break;
    if (increment > __heap_end - heap_break || increment < __heap_start - heap_break) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_break += increment;
    return previous;
}

size_t rv32_heap_peak(void) { return (size_t)(heap_break - __heap_start); }
size_t rv32_heap_capacity(void) { return (size_t)(__heap_end - __heap_start); }

__attribute__((noinline)) void rv32_stack_paint(void) {
    volatile uint32_t *word = (volatile uint32_t *)__heap_end;
    /* Stop 64 bytes below this leaf's frame so the painting does not hit its
     * own saved registers; those bytes count as used (a 64-byte overestimate). */
    volatile uint32_t *limit = (volatile uint32_t *)__builtin_frame_address(0) - 16;
    while (word < limit) *word++ = STACK_PAINT;
}

size_t rv32_stack_peak(void) {
    const volatile uint32_t *word = (const volatile uint32_t *)__heap_end;
    while (word < (const volatile uint32_t *)__stack && *word == STACK_PAINT) word++;
    return (size_t)(__stack - (const char *)word);
}

size_t rv32_stack_capacity(void) { return (size_t)(__stack - __heap_end); }
