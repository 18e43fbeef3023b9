/* build/qiot.wasm embedded read-only (it stays in the flash window, DESIGN
 * pitfall 7). QIOT_MODULE_PATH is set by rv32.mk. */
    .section .rodata.qiot_module, "a"
    .balign 4
    .global rv32_module_bytes
rv32_module_bytes:
    .incbin QIOT_MODULE_PATH
    .global rv32_module_end
rv32_module_end:
