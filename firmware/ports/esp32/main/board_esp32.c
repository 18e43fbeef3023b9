/* board.h over ESP-IDF v5.x: the protocol on UART0, the module store in the
 * "qiot" data partition (partitions.csv), time from esp_timer. Every ESP-IDF
 * call used here is listed, with its documentation page, in ../README.md. */
#include "board.h"

#include <stdbool.h>
#include <string.h>

#include "board_esp32.h"
#include "driver/uart.h"
#include "esp_partition.h"
#include "esp_system.h"
#include "esp_task_wdt.h"
#include "esp_timer.h"
#include "flash_layout.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "qiot_config.h"
#include "sdkconfig.h"
#include "soc/uart_pins.h"

#define QIOT_UART UART_NUM_0
/* The module-store partition of partitions.csv: application-defined type
 * 0x40, label "qiot". */
#define QIOT_PARTITION_TYPE ((esp_partition_type_t)0x40)
#define QIOT_PARTITION_LABEL "qiot"
/* RX ring: a full upload window (QIOT_UPLOAD_WINDOW frames of at most
 * QIOT_MAX_ENCODED_FRAME + 1 bytes, 8.3 KiB) arrives while the core is busy
 * erasing or writing flash; 16 KiB holds it with margin. */
#define QIOT_UART_RX_BUFFER (16 * 1024)
/* TX ring: one TELEMETRY frame and a few answers queue without blocking a
 * training step on the wire. */
#define QIOT_UART_TX_BUFFER (4 * 1024)
/* Longest single wait inside board_serial_read; the watchdog is fed between
 * waits, so this must stay well below CONFIG_ESP_TASK_WDT_TIMEOUT_S. */
#define QIOT_MAX_READ_WAIT_MS 1000u

static const esp_partition_t *store_partition;
static const uint8_t *store_mapped;
static flash_layout store_layout;
static bool store_ready;

static esp_err_t store_init(void) {
    store_partition = esp_partition_find_first(QIOT_PARTITION_TYPE, ESP_PARTITION_SUBTYPE_ANY, QIOT_PARTITION_LABEL);
    if (store_partition == NULL) {
        return ESP_ERR_NOT_FOUND;
    }
    if (!flash_layout_init(&store_layout, store_partition->erase_size) || store_layout.end > store_partition->size) {
        return ESP_ERR_INVALID_SIZE;
    }
    /* One mapping for the life of the firmware: wasm3 keeps pointing into the
     * module bytes (board.h). esp_partition_write/erase_range flush the cache
     * for mapped pages, so the mapping sees later writes. */
    const void *mapped = NULL;
    esp_partition_mmap_handle_t handle;
    esp_err_t err = esp_partition_mmap(store_partition, 0, store_layout.end, ESP_PARTITION_MMAP_DATA, &mapped, &handle);
    if (err != ESP_OK) {
        return err;
    }
    store_mapped = mapped;
    store_ready = true;
    return ESP_OK;
}

static esp_err_t uart_init(void) {
    const uart_config_t config = {
        .baud_rate = CONFIG_QIOT_UART_BAUD,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    int intr_flags = 0;
#if CONFIG_UART_ISR_IN_IRAM
    /* Keeps receiving while flash writes disable the cache (sdkconfig.defaults). */
    intr_flags = ESP_INTR_FLAG_IRAM;
#endif
    esp_err_t err = uart_driver_install(QIOT_UART, QIOT_UART_RX_BUFFER, QIOT_UART_TX_BUFFER, 0, NULL, intr_flags);
    if (err == ESP_OK) {
        err = uart_param_config(QIOT_UART, &config);
    }
    if (err == ESP_OK) {
        err = uart_set_pin(QIOT_UART, U0TXD_GPIO_NUM, U0RXD_GPIO_NUM, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE);
    }
    return err;
}

esp_err_t board_esp32_init(void) {
    esp_err_t err = uart_init();
    if (err == ESP_OK) {
        /* One delimiter ends the ROM's boot banner in the host's decoder, so the
         * first INFO is not glued to it (docs/protocol.md, Start-up). */
        static const uint8_t delimiter = 0x00;
        uart_write_bytes(QIOT_UART, &delimiter, 1);
        err = esp_task_wdt_add(NULL);
        if (err == ESP_ERR_INVALID_STATE) {
            err = ESP_OK; /* task watchdog turned off in menuconfig: nothing to feed */
        }
    }
    if (err == ESP_OK) {
        /* A missing or small partition leaves the board answering with no
         * module slots usable (board_slot_* fail) instead of boot-looping. */
        store_init();
    }
    return err;
}

static TickType_t ms_to_ticks_rounded_up(uint32_t ms) {
    return (TickType_t)((ms + portTICK_PERIOD_MS - 1) / portTICK_PERIOD_MS);
}

int board_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
    if (cap == 0) {
        return 0;
    }
    /* uart_read_bytes waits for all `length` bytes: wait for the first one,
     * then take whatever else is already buffered. */
    int first;
    for (;;) {
        esp_task_wdt_reset();
        uint32_t wait = timeout_ms < QIOT_MAX_READ_WAIT_MS ? timeout_ms : QIOT_MAX_READ_WAIT_MS;
        first = uart_read_bytes(QIOT_UART, buf, 1, ms_to_ticks_rounded_up(wait));
        timeout_ms -= wait;
        if (first != 0 || timeout_ms == 0) {
            break;
        }
    }
    if (first <= 0) {
        return first < 0 ? -1 : 0;
    }
    size_t buffered = 0;
    if (uart_get_buffered_data_len(QIOT_UART, &buffered) != ESP_OK || buffered == 0) {
        return 1;
    }
    size_t more = buffered < cap - 1 ? buffered : cap - 1;
    int rest = more == 0 ? 0 : uart_read_bytes(QIOT_UART, buf + 1, (uint32_t)more, 0);
    return 1 + (rest > 0 ? rest : 0);
}

void board_serial_write(const uint8_t *buf, size_t len) {
    while (len > 0) {
        int written = uart_write_bytes(QIOT_UART, buf, len);
        if (written <= 0) {
            return; /* driver error: nothing sensible to retry */
        }
        buf += written;
        len -= (size_t)written;
    }
}

uint64_t board_time_us(void) { return (uint64_t)esp_timer_get_time(); }

const uint8_t *board_slot_map(int slot) {
    if (!store_ready || slot < 0 || slot >= QIOT_SLOT_COUNT) {
        return NULL;
    }
    return store_mapped + store_layout.slot[slot].offset;
}

static bool region_erase(const flash_region *region) {
    return esp_partition_erase_range(store_partition, region->offset, region->size) == ESP_OK;
}

static bool region_write(const flash_region *region, uint32_t offset, const uint8_t *data, size_t len) {
    uint32_t at;
    return flash_region_locate(region, offset, len, &at) &&
           esp_partition_write(store_partition, at, data, len) == ESP_OK;
}

bool board_slot_erase(int slot) {
    return store_ready && slot >= 0 && slot < QIOT_SLOT_COUNT && region_erase(&store_layout.slot[slot]);
}

bool board_slot_write(int slot, uint32_t offset, const uint8_t *data, size_t len) {
    return store_ready && slot >= 0 && slot < QIOT_SLOT_COUNT &&
           region_write(&store_layout.slot[slot], offset, data, len);
}

bool board_record_read(int copy, uint8_t *buf, size_t len) {
    if (!store_ready || copy < 0 || copy >= QIOT_RECORD_COPIES) {
        return false;
    }
    uint32_t at;
    return flash_region_locate(&store_layout.record[copy], 0, len, &at) &&
           esp_partition_read(store_partition, at, buf, len) == ESP_OK;
}

/* Each copy owns a whole sector, so rewriting it is erase + write; a power
 * cut in between leaves this copy blank and the other one intact. */
bool board_record_write(int copy, const uint8_t *buf, size_t len) {
    return store_ready && copy >= 0 && copy < QIOT_RECORD_COPIES && region_erase(&store_layout.record[copy]) &&
           region_write(&store_layout.record[copy], 0, buf, len);
}

bool board_keys_read(int copy, uint8_t *buf, size_t len) {
    if (!store_ready || copy < 0 || copy >= QIOT_KEYS_COPIES) {
        return false;
    }
    uint32_t at;
    return flash_region_locate(&store_layout.keys[copy], 0, len, &at) &&
           esp_partition_read(store_partition, at, buf, len) == ESP_OK;
}

bool board_keys_write(int copy, const uint8_t *buf, size_t len) {
    return store_ready && copy >= 0 && copy < QIOT_KEYS_COPIES && region_erase(&store_layout.keys[copy]) &&
           region_write(&store_layout.keys[copy], 0, buf, len);
}

void board_reset(void) {
    /* Let the answer to RESET leave the TX ring before restarting. */
    uart_wait_tx_done(QIOT_UART, ms_to_ticks_rounded_up(100));
    esp_restart();
}

void board_idle(void) { esp_task_wdt_reset(); }

void board_esp32_report(const char *text) {
    if (!uart_is_driver_installed(QIOT_UART) && uart_init() != ESP_OK) {
        return;
    }
    /* Delimiters around the line: the host's frame decoder drops it as a bad
     * frame and its boot-text log quotes it (host/src/realboard/boot-text.ts). */
    static const uint8_t delimiter = 0x00;
    uart_write_bytes(QIOT_UART, &delimiter, 1);
    uart_write_bytes(QIOT_UART, "\r\n", 2); /* its own line after the ROM's banner */
    uart_write_bytes(QIOT_UART, text, strlen(text));
    uart_write_bytes(QIOT_UART, "\r\n", 2);
    uart_write_bytes(QIOT_UART, &delimiter, 1);
    uart_wait_tx_done(QIOT_UART, ms_to_ticks_rounded_up(100));
}

const char *board_name(void) { return "esp32:" CONFIG_IDF_TARGET; }
