#include "idle.h"

#include "csr.h"
#include "hw.h"

void rv32_set_timer(uint64_t when) {
    /* Raise the high word first so no intermediate value fires early. */
    rv32_mmio_write32(RV32_CLINT_MTIMECMP0 + 4, 0xffffffffu);
    rv32_mmio_write32(RV32_CLINT_MTIMECMP0, (uint32_t)when);
    rv32_mmio_write32(RV32_CLINT_MTIMECMP0 + 4, (uint32_t)(when >> 32));
}

void rv32_idle_init(void) {
    rv32_set_timer(UINT64_MAX);
    rv32_mmio_write32(RV32_PLIC_PRIORITY(RV32_UART0_IRQ), 1);
    rv32_mmio_write32(RV32_PLIC_ENABLE_CTX0, 1u << RV32_UART0_IRQ);
    rv32_mmio_write32(RV32_PLIC_THRESHOLD_CTX0, 0);
    RV32_CSR_WRITE(mie, RV32_MIE_MTIE | RV32_MIE_MEIE);
}

void rv32_idle_until(uint64_t deadline) {
    rv32_set_timer(deadline);
    __asm__ volatile("wfi");
    rv32_set_timer(UINT64_MAX);
    /* Claim and complete the UART's PLIC interrupt so it can wake us again; the
     * UART itself keeps it asserted while its receiver holds data. */
    const uint32_t source = rv32_mmio_read32(RV32_PLIC_CLAIM_CTX0);
    if (source != 0) rv32_mmio_write32(RV32_PLIC_CLAIM_CTX0, source);
}
