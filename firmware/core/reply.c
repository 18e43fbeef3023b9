#include "reply.h"

#include <string.h>

#include "board.h"
#include "bytes.h"
#include "frame.h"
#include "protocol.h"

/* One serial link, one frame at a time: the encoded frame is built here. */
static uint8_t tx[FRAME_MAX_WIRE];

void reply_send(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len) {
    size_t n = frame_encode(type, seq, payload, len, tx);
    if (n) board_serial_write(tx, n);
}

static size_t text_payload(uint8_t *out, size_t room, const char *text) {
    size_t n = text ? strlen(text) : 0;
    if (n > room) n = room;
    if (n) memcpy(out, text, n);
    return n;
}

void reply_error(uint16_t seq, int code, const char *text) {
    uint8_t payload[2 + QIOT_MAX_TEXT];
    put_u16(payload, (uint16_t)code);
    size_t n = text_payload(payload + 2, QIOT_MAX_TEXT, text);
    reply_send(MSG_ERROR, seq, payload, 2 + n);
}

void reply_ok(uint16_t seq, const uint8_t *payload, size_t len) { reply_send(MSG_OK, seq, payload, len); }

void reply_log(uint8_t level, const char *text) {
    uint8_t payload[1 + QIOT_MAX_TEXT];
    payload[0] = level;
    size_t n = text_payload(payload + 1, QIOT_MAX_TEXT, text);
    reply_send(MSG_LOG, 0, payload, 1 + n);
}
