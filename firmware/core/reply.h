/* Frames the board sends: every answer and every unsolicited frame goes out
 * through here. A leaf of the core: it knows the wire format and the serial
 * link (board.h), nothing of the core's state or requests. */
#ifndef QIOT_REPLY_H
#define QIOT_REPLY_H

#include <stddef.h>
#include <stdint.h>

/* Sends one frame; payloads longer than QIOT_MAX_PAYLOAD are not sent. */
void reply_send(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len);
/* ERROR: u16 code ‖ text (truncated to QIOT_MAX_TEXT). */
void reply_error(uint16_t seq, int code, const char *text);
void reply_ok(uint16_t seq, const uint8_t *payload, size_t len);
/* LOG (seq 0): u8 level ‖ text. */
void reply_log(uint8_t level, const char *text);

#endif
