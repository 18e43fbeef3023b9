/* Machine-level services of the rv32 port: clock, exit, reset, traps, heap. */
#ifndef QIOT_RV32_SYSTEM_H
#define QIOT_RV32_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

/* Installs the trap handler and brings up the UART. Call first in main. */
void rv32_system_init(void);

uint64_t rv32_mtime(void);

_Noreturn void rv32_reset(void);

/* Bytes of heap handed out by sbrk so far (high-water mark: nano-malloc never
 * returns memory to sbrk) and the heap's capacity. */
size_t rv32_heap_peak(void);
size_t rv32_heap_capacity(void);

/* Stack high-water: rv32_stack_paint fills the unused stack below the caller
 * with a pattern; rv32_stack_peak reports how deep the stack has reached. */
void rv32_stack_paint(void);
size_t rv32_stack_peak(void);
size_t rv32_stack_capacity(void);

#endif
