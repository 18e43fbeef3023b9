/* CRC-32/ISO-HDLC (zlib): reflected poly 0xEDB88320, init and xorout ~0. */
#ifndef QIOT_CRC32_H
#define QIOT_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC: start with crc = 0, feed pieces in order. */
uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t len);

static inline uint32_t crc32(const uint8_t *data, size_t len) { return crc32_update(0, data, len); }

#endif
