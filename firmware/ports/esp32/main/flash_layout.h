/* Where the module store lives inside the "qiot" data partition: the two
 * module slots first, then one erase sector per commit-record copy and one
 * per key-record copy, so that erasing one record copy never touches another
 * copy or a slot.
 * Pure arithmetic, no ESP-IDF: compiled and tested natively (test/). */
#ifndef QIOT_ESP32_FLASH_LAYOUT_H
#define QIOT_ESP32_FLASH_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qiot_config.h"

typedef struct {
    uint32_t offset; /* from the start of the partition */
    uint32_t size;
} flash_region;

typedef struct {
    flash_region slot[QIOT_SLOT_COUNT];
    flash_region record[QIOT_RECORD_COPIES];
    flash_region keys[QIOT_KEYS_COPIES]; /* key records (docs/security.md) */
    uint32_t end;                        /* bytes of partition the layout needs */
} flash_layout;

/* Lays the store out for a flash whose erase unit is sector_size bytes.
 * Fails (returns false) when sector_size is not a power of two, a slot is not
 * a whole number of sectors, or a record does not fit one sector. */
bool flash_layout_init(flash_layout *layout, uint32_t sector_size);

/* Translates [offset, offset + len) inside region into a partition offset.
 * False when the range leaves the region (overflow-safe). */
bool flash_region_locate(const flash_region *region, uint32_t offset, size_t len, uint32_t *partition_offset);

#endif
