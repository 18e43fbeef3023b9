/* CSR access. binutils 2.40 wants the zicsr extension for csrr/csrw, but
 * -march=rv32imac_zicsr makes gcc pick the wrong picolibc multilib, so the
 * extension is enabled around each instruction only. */
#ifndef QIOT_RV32_CSR_H
#define QIOT_RV32_CSR_H

#include <stdint.h>

#define RV32_CSR_READ(name)                                                                                            \
    ({                                                                                                                 \
        uint32_t value_;                                                                                               \
        __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, " #name "\n.option pop" : "=r"(value_));        \
        value_;                                                                                                        \
    })

#define RV32_CSR_WRITE(name, value)                                                                                    \
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrw " #name ", %0"                                          \
                     "\n.option pop" ::"r"((uint32_t)(value)))

/* 64-bit counter from its two halves, re-read when the low half wrapped. */
#define RV32_CSR_READ64(lo, hi)                                                                                        \
    ({                                                                                                                 \
        uint32_t hi_, lo_, again_;                                                                                     \
        do {                                                                                                           \
            hi_ = RV32_CSR_READ(hi);                                                                                   \
            lo_ = RV32_CSR_READ(lo);                                                                                   \
            again_ = RV32_CSR_READ(hi);                                                                                \
        } while (hi_ != again_);                                                                                       \
        ((uint64_t)hi_ << 32) | lo_;                                                                                   \
    })

static inline uint64_t rv32_instret(void) { return RV32_CSR_READ64(minstret, minstreth); }
static inline uint64_t rv32_cycles(void) { return RV32_CSR_READ64(mcycle, mcycleh); }

#endif
