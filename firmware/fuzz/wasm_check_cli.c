/* wasm-check FILE…: runs the firmware's module check (core/wasm_check.c) on
 * each file and prints "ok FILE" or "refused FILE: why". Exit 0 when every
 * file was read. Used by cross_check.py against wabt's wasm-validate. */
#include <stdio.h>

#include "protocol.h"
#include "qiot_config.h"
#include "wasm_check.h"

int main(int argc, char **argv) {
    static uint8_t bytes[QIOT_SLOT_SIZE + 1];
    int status = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            status = 2;
            continue;
        }
        size_t n = fread(bytes, 1, sizeof bytes, f);
        fclose(f);
        char err[QIOT_MAX_TEXT] = "";
        if (n > QIOT_SLOT_SIZE) printf("refused %s: larger than a slot\n", argv[i]);
        else if (wasm_check(bytes, (uint32_t)n, err, sizeof err) == ERR_NONE) printf("ok %s\n", argv[i]);
        else printf("refused %s: %s\n", argv[i], err);
    }
    return status;
}
