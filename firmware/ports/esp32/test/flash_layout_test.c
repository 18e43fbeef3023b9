/* Native test of the ESP32 port's flash layout (main/flash_layout.c): the
 * only port logic that does not call ESP-IDF. QIOT_PARTITION_SIZE is the
 * size of the "qiot" partition, read from partitions.csv by esp32.mk. */
#include <stdio.h>
#include <stdlib.h>

#include "flash_layout.h"

#ifndef QIOT_PARTITION_SIZE
#error "QIOT_PARTITION_SIZE (size of the qiot partition in partitions.csv) must be defined"
#endif

static int failures;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: FAILED %s\n", __FILE__, __LINE__, #cond);                                          \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

static int overlaps(flash_region a, flash_region b) {
    return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

static void test_layout_on_4k_sectors(void) {
    flash_layout layout;
    CHECK(flash_layout_init(&layout, 4096));
    /* Slots back to back from 0, then one sector per record copy, then one per key-record copy. */
    CHECK(layout.slot[0].offset == 0 && layout.slot[0].size == QIOT_SLOT_SIZE);
    CHECK(layout.slot[1].offset == QIOT_SLOT_SIZE && layout.slot[1].size == QIOT_SLOT_SIZE);
    CHECK(layout.record[0].offset == 2u * QIOT_SLOT_SIZE && layout.record[0].size == 4096);
    CHECK(layout.record[1].offset == 2u * QIOT_SLOT_SIZE + 4096 && layout.record[1].size == 4096);
    CHECK(layout.keys[0].offset == 2u * QIOT_SLOT_SIZE + 2u * 4096 && layout.keys[0].size == 4096);
    CHECK(layout.keys[1].offset == 2u * QIOT_SLOT_SIZE + 3u * 4096 && layout.keys[1].size == 4096);
    CHECK(layout.end == 2u * QIOT_SLOT_SIZE + 4u * 4096);

    flash_region all[QIOT_SLOT_COUNT + QIOT_RECORD_COPIES + QIOT_KEYS_COPIES];
    int n = 0;
    for (int i = 0; i < QIOT_SLOT_COUNT; i++) all[n++] = layout.slot[i];
    for (int i = 0; i < QIOT_RECORD_COPIES; i++) all[n++] = layout.record[i];
    for (int i = 0; i < QIOT_KEYS_COPIES; i++) all[n++] = layout.keys[i];
    for (int i = 0; i < n; i++) {
        CHECK(all[i].offset % 4096 == 0 && all[i].size % 4096 == 0); /* erasable on its own */
        CHECK(all[i].offset + all[i].size <= layout.end);
        for (int j = i + 1; j < n; j++) CHECK(!overlaps(all[i], all[j]));
    }
    CHECK(QIOT_RECORD_SIZE <= layout.record[0].size);
    CHECK(QIOT_KEYS_RECORD_SIZE <= layout.keys[0].size);
}

static void test_rejected_sector_sizes(void) {
    flash_layout layout;
    CHECK(!flash_layout_init(&layout, 0));
    CHECK(!flash_layout_init(&layout, 3000));                  /* not a power of two */
    CHECK(!flash_layout_init(&layout, QIOT_SLOT_SIZE * 2u));   /* slot not whole sectors */
    CHECK(!flash_layout_init(&layout, QIOT_RECORD_SIZE / 2u)); /* record larger than a sector */
}

static void test_locate_bounds(void) {
    const flash_region region = {.offset = 0x10000, .size = 0x8000};
    uint32_t at = 0;
    CHECK(flash_region_locate(&region, 0, 0x8000, &at) && at == 0x10000);
    CHECK(flash_region_locate(&region, 0x7ff0, 0x10, &at) && at == 0x17ff0);
    CHECK(flash_region_locate(&region, 0x8000, 0, &at) && at == 0x18000);
    CHECK(!flash_region_locate(&region, 0x7ff0, 0x11, &at));
    CHECK(!flash_region_locate(&region, 0x8001, 0, &at));
    /* offset + len wraps around 32 bits: must still be refused. */
    CHECK(!flash_region_locate(&region, 0x10, (size_t)0xfffffff8u, &at));
    CHECK(!flash_region_locate(&region, 0xffffffffu, 2, &at));
}

static void test_partition_holds_layout(void) {
    flash_layout layout;
    CHECK(flash_layout_init(&layout, 4096));
    CHECK(layout.end <= (uint32_t)(QIOT_PARTITION_SIZE));
}

int main(void) {
    test_layout_on_4k_sectors();
    test_rejected_sector_sizes();
    test_locate_bounds();
    test_partition_holds_layout();
    if (failures) {
        fprintf(stderr, "flash_layout_test: %d check(s) failed\n", failures);
        return EXIT_FAILURE;
    }
    printf("flash_layout_test: all checks passed (layout %u bytes, qiot partition %u bytes)\n",
           2u * QIOT_SLOT_SIZE + 2u * 4096u, (unsigned)(QIOT_PARTITION_SIZE));
    return EXIT_SUCCESS;
}
