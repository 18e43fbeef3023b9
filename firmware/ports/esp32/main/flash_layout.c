#include "flash_layout.h"

static bool is_power_of_two(uint32_t value) { return value != 0 && (value & (value - 1)) == 0; }

bool flash_layout_init(flash_layout *layout, uint32_t sector_size) {
    if (!is_power_of_two(sector_size) || QIOT_SLOT_SIZE % sector_size != 0 || QIOT_RECORD_SIZE > sector_size ||
        QIOT_KEYS_RECORD_SIZE > sector_size) {
        return false;
    }
    uint32_t next = 0;
    for (int i = 0; i < QIOT_SLOT_COUNT; i++) {
        layout->slot[i] = (flash_region){.offset = next, .size = QIOT_SLOT_SIZE};
        next += QIOT_SLOT_SIZE;
    }
    for (int i = 0; i < QIOT_RECORD_COPIES; i++) {
        layout->record[i] = (flash_region){.offset = next, .size = sector_size};
        next += sector_size;
    }
    for (int i = 0; i < QIOT_KEYS_COPIES; i++) {
        layout->keys[i] = (flash_region){.offset = next, .size = sector_size};
        next += sector_size;
    }
    layout->end = next;
    return true;
}

bool flash_region_locate(const flash_region *region, uint32_t offset, size_t len, uint32_t *partition_offset) {
    if (offset > region->size || len > (size_t)(region->size - offset)) {
        return false;
    }
    *partition_offset = region->offset + offset;
    return true;
}
