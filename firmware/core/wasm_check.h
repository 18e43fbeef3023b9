/* The module checker: validates module bytes before wasm3 sees any of them.
 * wasm3 trusts its input (it does not validate), so a crafted module could
 * drive its compiler out of bounds (issue 15: a heap write at index 65 535 of
 * a 256-byte array). This is the WebAssembly 1.0 validation algorithm (the
 * spec's appendix) restricted to what qiot modules use, with qiot's limits
 * (qiot_config.h): section order and sizes, types, imports exactly env.abort,
 * function/body counts, locals, operand stack height, control depth, every
 * instruction's operand types, indices and alignments. Dependency-free. */
#ifndef QIOT_WASM_CHECK_H
#define QIOT_WASM_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* ERR_NONE, or ERR_MODULE_INVALID with err = "invalid module at byte N: why". */
int wasm_check(const uint8_t *bytes, uint32_t size, char *err, size_t err_cap);

#endif
