#include "text.h"

#include <string.h>

void text_set(char *dst, size_t cap, const char *s) {
    if (!cap) return;
    dst[0] = 0;
    text_append(dst, cap, s);
}

void text_append(char *dst, size_t cap, const char *s) {
    if (!cap || !s) return;
    size_t n = strlen(dst);
    while (*s && n + 1 < cap) dst[n++] = *s++;
    dst[n] = 0;
}

void text_append_uint(char *dst, size_t cap, uint32_t v) {
    char buf[11];
    int i = (int)sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    text_append(dst, cap, buf + i);
}

void text_append_hex8(char *dst, size_t cap, uint8_t v) {
    static const char digits[] = "0123456789abcdef";
    char buf[5] = {'0', 'x', digits[v >> 4], digits[v & 15], 0};
    text_append(dst, cap, buf);
}
