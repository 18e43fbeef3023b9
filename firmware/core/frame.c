#include "frame.h"

#include <string.h>

#include "bytes.h"
#include "cobs.h"
#include "crc32.h"
#include "protocol.h"

size_t frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint8_t *out) {
    if (len > QIOT_MAX_PAYLOAD) return 0;
    uint8_t raw[QIOT_MAX_RAW_FRAME];
    raw[0] = (uint8_t)QIOT_PROTOCOL_VERSION;
    raw[1] = type;
    put_u16(raw + 2, seq);
    put_u16(raw + 4, (uint16_t)len);
    if (len) memcpy(raw + QIOT_HEADER_SIZE, payload, len);
    put_u32(raw + QIOT_HEADER_SIZE + len, crc32(raw, QIOT_HEADER_SIZE + len));
    size_t n = cobs_encode(raw, QIOT_HEADER_SIZE + len + QIOT_CRC_SIZE, out);
    out[n++] = 0;
    return n;
}

void frame_decoder_init(frame_decoder_t *d, bool synced) {
    d->fill = 0;
    d->synced = synced;
    d->discarding = false;
}

static int decode_collected(frame_decoder_t *d, frame_event_t *ev) {
    long n = cobs_decode(d->encoded, d->fill, d->raw, sizeof d->raw);
    if (n < 0 || (size_t)n < QIOT_HEADER_SIZE + QIOT_CRC_SIZE) return ERR_BAD_FRAME;
    size_t body = (size_t)n - QIOT_CRC_SIZE;
    if (crc32(d->raw, body) != get_u32(d->raw + body)) return ERR_BAD_CRC;
    ev->seq = get_u16(d->raw + 2);
    ev->version = d->raw[0];
    if (d->raw[0] != QIOT_PROTOCOL_VERSION) return ERR_PROTOCOL_VERSION;
    size_t payload_len = body - QIOT_HEADER_SIZE;
    if (payload_len > QIOT_MAX_PAYLOAD) return ERR_OVERSIZE;
    if (get_u16(d->raw + 4) != payload_len) return ERR_BAD_LENGTH;
    ev->frame.type = d->raw[1];
    ev->frame.seq = ev->seq;
    ev->frame.length = (uint16_t)payload_len;
    ev->frame.payload = d->raw + QIOT_HEADER_SIZE;
    return ERR_NONE;
}

bool frame_decoder_push(frame_decoder_t *d, uint8_t byte, frame_event_t *ev) {
    if (byte != 0) {
        if (d->discarding) return false;
        if (d->fill == sizeof d->encoded) {
            /* Answered even before the first delimiter: no frame is that long. */
            d->fill = 0;
            d->discarding = true;
            memset(ev, 0, sizeof *ev);
            ev->error = ERR_OVERSIZE;
            return true;
        }
        d->encoded[d->fill++] = byte;
        return false;
    }
    bool was_synced = d->synced;
    bool had_bytes = d->fill > 0 && !d->discarding;
    d->synced = true;
    d->discarding = false;
    if (!had_bytes) {
        d->fill = 0;
        return false;
    }
    memset(ev, 0, sizeof *ev);
    ev->error = decode_collected(d, ev);
    d->fill = 0;
    /* Bytes before the first delimiter may be the tail of a frame we joined
     * midway: drop them silently. */
    if (ev->error != ERR_NONE && !was_synced) return false;
    return true;
}
