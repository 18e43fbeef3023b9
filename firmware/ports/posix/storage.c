/* Slots, commit records and key records of the posix board in one mmap'd
 * file, so the store survives restarts exactly as flash would. Layout: slot 0,
 * slot 1, record copy 0, record copy 1, key record copy 0, key record copy 1.
 * A file of the earlier layout (without key records) is extended in place. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "posix_board.h"
#include "qiot_config.h"

#define RECORDS_OFFSET ((size_t)QIOT_SLOT_COUNT * QIOT_SLOT_SIZE)
#define KEYS_OFFSET (RECORDS_OFFSET + (size_t)QIOT_RECORD_COPIES * QIOT_RECORD_SIZE)
#define STATE_SIZE (KEYS_OFFSET + (size_t)QIOT_KEYS_COPIES * QIOT_KEYS_RECORD_SIZE)
/* Erased flash reads as 0xFF; a new state file starts that way. */
#define ERASED 0xFF

static uint8_t *state;
static bool file_backed;

bool posix_storage_open(const char *state_path) {
    if (!state_path) {
        /* Shared: the board restarted by the supervisor keeps it. */
        state = mmap(NULL, STATE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (state == MAP_FAILED) return false;
        memset(state, ERASED, STATE_SIZE);
        return true;
    }
    int fd = open(state_path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) != 0) goto fail;
    size_t old_size = (size_t)st.st_size;
    bool fresh = old_size == 0;
    if (!fresh && old_size != STATE_SIZE && old_size != KEYS_OFFSET) {
        errno = EINVAL; /* not a state file of this firmware's layout */
        goto fail;
    }
    if (old_size != STATE_SIZE && ftruncate(fd, (off_t)STATE_SIZE) != 0) goto fail;
    state = mmap(NULL, STATE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (state == MAP_FAILED) goto fail;
    close(fd);
    file_backed = true;
    if (fresh) memset(state, ERASED, STATE_SIZE);
    else if (old_size == KEYS_OFFSET) memset(state + KEYS_OFFSET, ERASED, STATE_SIZE - KEYS_OFFSET);
    return true;
fail : {
    int saved = errno;
    close(fd);
    errno = saved;
    return false;
}
}

void posix_storage_close(void) {
    if (state && state != MAP_FAILED) {
        if (file_backed) msync(state, STATE_SIZE, MS_SYNC);
        munmap(state, STATE_SIZE);
    }
    state = NULL;
}

static bool slot_ok(int slot) { return state && slot >= 0 && slot < QIOT_SLOT_COUNT; }

const uint8_t *board_slot_map(int slot) { return slot_ok(slot) ? state + (size_t)slot * QIOT_SLOT_SIZE : NULL; }

bool board_slot_erase(int slot) {
    if (!slot_ok(slot)) return false;
    memset(state + (size_t)slot * QIOT_SLOT_SIZE, ERASED, QIOT_SLOT_SIZE);
    return true;
}

bool board_slot_write(int slot, uint32_t offset, const uint8_t *data, size_t len) {
    if (!slot_ok(slot) || offset > QIOT_SLOT_SIZE || len > QIOT_SLOT_SIZE - offset) return false;
    memcpy(state + (size_t)slot * QIOT_SLOT_SIZE + offset, data, len);
    return true;
}

static uint8_t *record_at(int copy, size_t len) {
    if (!state || copy < 0 || copy >= QIOT_RECORD_COPIES || len > QIOT_RECORD_SIZE) return NULL;
    return state + RECORDS_OFFSET + (size_t)copy * QIOT_RECORD_SIZE;
}

bool board_record_read(int copy, uint8_t *buf, size_t len) {
    uint8_t *rec = record_at(copy, len);
    if (!rec) return false;
    memcpy(buf, rec, len);
    return true;
}

bool board_record_write(int copy, const uint8_t *buf, size_t len) {
    uint8_t *rec = record_at(copy, len);
    if (!rec) return false;
    memcpy(rec, buf, len);
    /* The record is the commit point: make it durable before answering OK. */
    return !file_backed || msync(state, STATE_SIZE, MS_SYNC) == 0;
}

static uint8_t *keys_at(int copy, size_t len) {
    if (!state || copy < 0 || copy >= QIOT_KEYS_COPIES || len > QIOT_KEYS_RECORD_SIZE) return NULL;
    return state + KEYS_OFFSET + (size_t)copy * QIOT_KEYS_RECORD_SIZE;
}

bool board_keys_read(int copy, uint8_t *buf, size_t len) {
    uint8_t *rec = keys_at(copy, len);
    if (!rec) return false;
    memcpy(buf, rec, len);
    return true;
}

bool board_keys_write(int copy, const uint8_t *buf, size_t len) {
    uint8_t *rec = keys_at(copy, len);
    if (!rec) return false;
    memcpy(rec, buf, len);
    return !file_backed || msync(state, STATE_SIZE, MS_SYNC) == 0;
}
