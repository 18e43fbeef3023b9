/* Message types and error codes of docs/protocol.md. */
#ifndef QIOT_PROTOCOL_H
#define QIOT_PROTOCOL_H

enum qiot_msg_type {
    MSG_HELLO = 0x01,
    MSG_UPLOAD_BEGIN = 0x02,
    MSG_UPLOAD_CHUNK = 0x03,
    MSG_UPLOAD_COMMIT = 0x04,
    MSG_CONFIG = 0x05,
    MSG_DATASET = 0x06,
    MSG_TRAIN_START = 0x07,
    MSG_TRAIN_STOP = 0x08,
    MSG_STATUS_REQ = 0x09,
    MSG_TELEMETRY_FETCH = 0x0A,
    MSG_RESET = 0x0B,
    MSG_PARAMS_READ = 0x0C,
    MSG_PARAMS_WRITE = 0x0D,
    MSG_PROVISION = 0x0E,
    MSG_TELEMETRY_ACK = 0x0F,
    MSG_OK = 0x80,
    MSG_INFO = 0x81,
    MSG_STATUS = 0x82,
    MSG_TELEMETRY = 0x83,
    MSG_DONE = 0x84,
    MSG_LOG = 0x85,
    MSG_TELEMETRY_REPLAY = 0x86,
    MSG_ERROR = 0xFF,
};

enum qiot_error {
    ERR_NONE = 0,
    ERR_BAD_CRC = 1,
    ERR_BAD_FRAME = 2,
    ERR_OVERSIZE = 3,
    ERR_BAD_LENGTH = 4,
    ERR_UNKNOWN_TYPE = 5,
    ERR_PROTOCOL_VERSION = 6,
    ERR_BAD_STATE = 7,
    ERR_UPLOAD_TOO_LARGE = 8,
    ERR_UPLOAD_OFFSET = 9,
    ERR_UPLOAD_INCOMPLETE = 10,
    ERR_HASH_MISMATCH = 11,
    ERR_MODULE_INVALID = 12,
    ERR_ABI_MISMATCH = 13,
    ERR_NO_MODULE = 14,
    ERR_CONFIG_INVALID = 15,
    ERR_MODULE_TRAP = 16,
    ERR_DATASET_RANGE = 17,
    ERR_BAD_PAYLOAD = 18,
    ERR_UNAUTHENTICATED = 19,
    ERR_SIGNATURE = 20,
    ERR_ROLLBACK = 21,
};

enum qiot_done_status {
    DONE_COMPLETED = 0,
    DONE_STOPPED = 1,
    DONE_BUDGET_EXHAUSTED = 2,
    DONE_NUMERIC = 3,
    DONE_TRAP = 4,
};

enum qiot_board_state { STATE_IDLE = 0, STATE_TRAINING = 1, STATE_UPLOAD = 2, STATE_PAUSED = 3 };

/* TRAIN_START's optional u8: what a full ring of unacknowledged telemetry does. */
enum qiot_telemetry_mode { TELEMETRY_DROP_OLDEST = 0, TELEMETRY_PAUSE = 1 };

#define LOG_DEBUG 0
#define LOG_INFO 1
#define LOG_WARN 2
#define LOG_ERROR 3

#endif
