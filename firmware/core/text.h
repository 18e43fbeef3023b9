/* Bounded, printf-free text building for ERROR and LOG payloads. Every
 * function keeps dst NUL-terminated within cap. */
#ifndef QIOT_TEXT_H
#define QIOT_TEXT_H

#include <stddef.h>
#include <stdint.h>

void text_set(char *dst, size_t cap, const char *s);
void text_append(char *dst, size_t cap, const char *s);
void text_append_uint(char *dst, size_t cap, uint32_t v);
void text_append_hex8(char *dst, size_t cap, uint8_t v);

#endif
