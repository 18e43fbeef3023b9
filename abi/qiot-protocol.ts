// The wire protocol's message types, request table, payload layouts and codes (docs/protocol.md):
// the one description the firmware and the host derive from. Data only. abi/generate.ts (run by
// `make runtime`, or `make abi`) turns it into firmware/core/protocol.h (type and code enums),
// firmware/core/qiot_requests.h (the request table as an X-macro and the handler prototypes),
// host/src/protocol/protocol.generated.ts (MessageType, ErrorCode, … and the request rules),
// host/src/protocol/payloads.generated.ts (every payload's type, encoder and decoder, from the
// layouts) and the tables of docs/protocol.md. Adding a request is an entry here plus its handler
// (docs/architecture.md "Add a protocol command"). Codes are wire-visible: never renumber.
import type { Layout } from './payload-layout.ts';

export type { Layout };

export interface Request {
  /** Symbol: MSG_<symbol> in C, MessageType.<symbol> on the host. */
  symbol: string;
  /** The name in docs, logs and error texts (defaults to the symbol). */
  name?: string;
  code: number;
  /** Its handler is handle_<handler> in one of firmware/core/req_*.c (or train.c). */
  handler: string;
  /** The payload's fields in order (abi/payload-layout.ts); [] carries nothing. */
  payload: Layout;
  /** Payload bounds in bytes where the layout's are not the board's (C expressions over qiot_config.h);
   *  otherwise they follow from `payload`. Outside them: BAD_PAYLOAD. */
  min?: number | string;
  max?: number | string;
  /** What the payload carries, in the BAD_PAYLOAD text ("<name> carries <text>"). */
  carries: string;
  /** Refused with NO_MODULE when no module is loaded. */
  needsModule: boolean;
  /** Refused with BAD_STATE while training. */
  idleOnly: boolean;
  /** On a provisioned board only accepted with an authentication trailer (docs/security.md). */
  authenticated: boolean;
  /** The OK answer's fields ([] an empty OK), or the board message that answers it. */
  ok: Layout | 'INFO' | 'STATUS';
  /** docs/protocol.md: what the answer means beyond its layout (errors, what follows). */
  answer?: string;
}

export const REQUESTS: readonly Request[] = [
  {
    symbol: 'HELLO',
    code: 0x01,
    handler: 'hello',
    payload: ['u16 version: host protocol version'],
    carries: 'a u16 protocol version',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    ok: 'INFO',
    answer: "whatever the host's version: the host decides",
  },
  {
    symbol: 'UPLOAD_BEGIN',
    code: 0x02,
    handler: 'upload_begin',
    payload: [
      'u32 size',
      'u8 sha256[32]',
      [
        'u32 version: signed manifest, docs/security.md: release number',
        'u32 counter: anti-rollback counter',
        'u16 abi',
        'str8 target: board_name() it runs on',
        'u8 signature[64]: Ed25519 over "QIOT-MODULE-1" ‖ the bytes before it',
      ],
    ],
    max: '36 + 11 + QIOT_MAX_TARGET_NAME + 64',
    carries: 'u32 size and a 32-byte sha256, optionally followed by a signed manifest',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    ok: ['u32 resume: bytes already held for this same sha256, else 0'],
    answer: 'a provisioned board needs the manifest (ERROR SIGNATURE, ABI_MISMATCH, ROLLBACK)',
  },
  {
    symbol: 'UPLOAD_CHUNK',
    code: 0x03,
    handler: 'upload_chunk',
    payload: ['u32 offset', 'u8 data[]'],
    min: 5,
    carries: 'u32 offset and at least one byte',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    ok: ['u32 received: contiguous bytes received'],
    answer: 'or ERROR UPLOAD_OFFSET',
  },
  {
    symbol: 'UPLOAD_COMMIT',
    code: 0x04,
    handler: 'upload_commit',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    ok: ['u8 active_slot', 'u8 sha256[32]'],
    answer: 'or ERROR (HASH_MISMATCH, MODULE_INVALID, ABI_MISMATCH, UPLOAD_INCOMPLETE)',
  },
  {
    symbol: 'CONFIG',
    code: 0x05,
    handler: 'config',
    payload: ['u8 config[CONFIG_SIZE]: the config struct, docs/abi.md'],
    carries: 'the 192-byte config struct',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    ok: [],
    answer: 'validated by `init` at TRAIN_START',
  },
  {
    symbol: 'DATASET',
    code: 0x06,
    handler: 'dataset',
    payload: ['u32 offset', "u8 data[]: into the module's dataset region"],
    carries: 'u32 offset and data',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    ok: ['u32 end: offset + length'],
    answer: 'or ERROR DATASET_RANGE past `dataset_capacity()`',
  },
  {
    symbol: 'TRAIN_START',
    code: 0x07,
    handler: 'train_start',
    payload: [
      'u32 steps: 0 = until STOP or budget',
      [
        'u8 telemetry_mode: 0 drop oldest, the default without the byte; 1 pause',
        [
          'u16 count',
          'f64 start[count]: θ written after `init`, before the first step; config `param_init` = host, the layerwise schedule',
        ],
      ],
    ],
    carries: 'a u32 step count, optionally a u8 telemetry mode and then θ to start from',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    ok: ['u32 param_count'],
    answer:
      "then TELEMETRY… and DONE; or ERROR CONFIG_INVALID (text = the module's `error_message`); ERROR BAD_PAYLOAD when θ's count is not `param_count()` (so at most 127, 125 with an authentication trailer)",
  },
  {
    symbol: 'TRAIN_STOP',
    code: 0x08,
    handler: 'train_stop',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    ok: [],
    answer: 'the run ends at once with DONE status STOPPED, a step under way is abandoned (OK and no DONE when idle)',
  },
  {
    symbol: 'STATUS_REQUEST',
    name: 'STATUS',
    code: 0x09,
    handler: 'status',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    ok: 'STATUS',
  },
  {
    symbol: 'TELEMETRY_FETCH',
    code: 0x0a,
    handler: 'fetch',
    payload: ['u32 from_tseq'],
    carries: 'a u32 from_tseq',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    ok: ['u32 first_held', 'u32 next_tseq', 'u32 missing: tseqs requested but no longer held'],
    answer: "sent after the ring's records with tseq ≥ from_tseq as TELEMETRY_REPLAY frames (original payload, `seq` = request seq)",
  },
  {
    symbol: 'RESET',
    code: 0x0b,
    handler: 'reset',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    ok: [],
    answer:
      'then the board restarts (state in slots survives); bytes received after the RESET frame are served by the restarted core where the restart keeps RAM (posix), lost with a chip reset (rv32, ESP32: wait for HELLO)',
  },
  {
    symbol: 'PARAMS_READ',
    code: 0x0c,
    handler: 'params_read',
    payload: [['u16 first: index of the first value wanted, 0 without it']],
    carries: 'nothing or a u16 first index',
    needsModule: true,
    idleOnly: false,
    authenticated: false,
    ok: ['u16 count: all of θ', 'f64 values[]: θ[first … first+n) with n = min(count − first, 127)'],
    answer: 'after a successful TRAIN_START',
  },
  {
    symbol: 'PARAMS_WRITE',
    code: 0x0d,
    handler: 'params_write',
    payload: ['u16 count', 'f64 theta[count]'],
    carries: 'u16 count and that many f64 values',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    ok: [],
    answer: 'after a successful TRAIN_START; count must equal `param_count()`, so at most 127; 125 with an authentication trailer',
  },
  {
    symbol: 'PROVISION',
    code: 0x0e,
    handler: 'provision',
    payload: ['u8 n: 0…2', 'u8 keys[n][32]: Ed25519 public keys', ['u8 control_key[32]: absent when n = 0']],
    max: '1 + QIOT_MAX_TRUSTED_KEYS * 32 + QIOT_CONTROL_KEY_SIZE',
    carries: 'u8 n, n 32-byte public keys and a 32-byte control key',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    ok: [],
    answer: 'the board trusts these keys from now on; n = 0 opens it again (docs/security.md)',
  },
  {
    symbol: 'TELEMETRY_ACK',
    code: 0x0f,
    handler: 'telemetry_ack',
    payload: ['u32 next_tseq: the host holds every record below it'],
    carries: 'a u32 next_tseq',
    needsModule: false,
    idleOnly: false,
    // Open (docs/security.md "Why TELEMETRY_ACK is open"): it can only let the board overwrite records
    // it already sent (never beyond next_tseq) — a loss the host detects by sequence, no worse than
    // dropping the telemetry frames themselves — and it lets a gateway without the key keep relayed
    // runs on provisioned boards lossless.
    authenticated: false,
    ok: ['u32 acked: cumulative, never decreases', 'u32 dropped: records overwritten before they were acknowledged, since boot'],
    answer: 'ERROR BAD_PAYLOAD for a tseq not yet sent',
  },
  {
    symbol: 'CONFIRM',
    code: 0x10,
    handler: 'confirm',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    ok: [],
    answer:
      'the active module\'s trial ends (docs/reliability.md "Trial boot"; OK too when nothing was pending), or ERROR NO_MODULE when none is committed',
  },
  {
    symbol: 'ROLLBACK',
    code: 0x11,
    handler: 'rollback',
    payload: [],
    carries: 'no payload',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    ok: ['u8 active_slot', 'u8 sha256[32]'],
    answer:
      'the previous module (the other slot) is active again; ERROR NO_MODULE (none, or an upload replaced it), ROLLBACK (provisioned board: previous module unsigned or below the floor)',
  },
];

/** Board → host messages: their payload's fields, or (OK, a replay) what they carry instead. */
export const RESPONSES: readonly { symbol: string; code: number; payload: Layout | string; note?: string }[] = [
  { symbol: 'OK', code: 0x80, payload: 'depends on request' },
  {
    symbol: 'INFO',
    code: 0x81,
    payload: [
      'u16 protocol_version',
      'u16 abi_version',
      'u16 max_payload',
      'u16 ring_capacity',
      'u32 slot_size',
      'u32 page_size',
      'u16 max_qubits: 0 without a module',
      'u8 active_slot: 0xFF none',
      'u32 module_size',
      'u8 module_sha256[32]',
      'str8 firmware_version',
      'str8 board_name',
      [
        'u8 security_flags: 1 provisioned, 2 module verified',
        'u32 floor',
        'u32 module_version',
        'u32 module_counter',
        'u8 nonce[16]',
        'u32 last_counter',
        [
          'u8 boot_flags: 1 pending, 2 previous module held',
          'u8 boot_event',
          'u8 boot_event_cause',
          'u8 reset_cause',
          'u32 trial_steps_left',
          'u32 previous_size',
          'u8 previous_sha256[32]',
        ],
      ],
    ],
    note: 'see "INFO payload" below',
  },
  {
    symbol: 'STATUS',
    code: 0x82,
    payload: [
      'u8 state: 0 idle, 1 training, 2 upload, 3 paused: a pause-mode run waiting for TELEMETRY_ACK',
      'u32 step',
      'u32 next_tseq',
      'u8 active_slot: 0xFF none',
      'u64 shots_total',
    ],
    note: '`step`, `shots_total`: from the last TELEMETRY record of the current or last run',
  },
  { symbol: 'TELEMETRY', code: 0x83, payload: ['u32 tseq', 'u32 step_us', 'u8 record[TELEMETRY_SIZE]: docs/abi.md'] },
  {
    symbol: 'DONE',
    code: 0x84,
    payload: ['u32 status', 'u32 steps', 'u64 shots_total', 'f64 train_loss', 'f64 test_accuracy', 'f64 test_loss'],
  },
  { symbol: 'LOG', code: 0x85, payload: ['u8 level: 0 debug … 3 error', 'text text'] },
  { symbol: 'TELEMETRY_REPLAY', code: 0x86, payload: 'as TELEMETRY', note: 'a record sent again by TELEMETRY_FETCH, never live' },
  { symbol: 'ERROR', code: 0xff, payload: ['u16 code', 'text text'] },
];

/** ERROR codes; a code is its index + 1 (0 is ERR_NONE, never sent). */
export const ERRORS: readonly { name: string; doc?: string }[] = [
  { name: 'BAD_CRC' },
  { name: 'BAD_FRAME', doc: 'COBS or header' },
  { name: 'OVERSIZE' },
  { name: 'BAD_LENGTH' },
  { name: 'UNKNOWN_TYPE' },
  { name: 'PROTOCOL_VERSION' },
  { name: 'BAD_STATE', doc: 'e.g. CONFIG while training' },
  { name: 'UPLOAD_TOO_LARGE', doc: 'size > slot_size' },
  { name: 'UPLOAD_OFFSET' },
  { name: 'UPLOAD_INCOMPLETE' },
  { name: 'HASH_MISMATCH' },
  { name: 'MODULE_INVALID', doc: 'wasm3 refused it; text says why' },
  { name: 'ABI_MISMATCH' },
  { name: 'NO_MODULE' },
  { name: 'CONFIG_INVALID' },
  { name: 'MODULE_TRAP' },
  { name: 'DATASET_RANGE' },
  { name: 'BAD_PAYLOAD' },
  { name: 'UNAUTHENTICATED', doc: 'provisioned board: trailer missing, wrong tag or replayed counter' },
  { name: 'SIGNATURE', doc: 'provisioned board: module unsigned, forged, or for another target' },
  { name: 'ROLLBACK', doc: "signed counter below the board's floor" },
];

/** Small code sets carried in payloads; a code is the index. `text` is what the host prints. */
export const CODES = {
  /** DONE's u32 status. */
  done: [
    { name: 'COMPLETED', text: 'completed' },
    { name: 'STOPPED', text: 'stopped' },
    { name: 'BUDGET_EXHAUSTED', text: 'budget_exhausted' },
    { name: 'NUMERIC', text: 'numeric' },
    { name: 'TRAP', text: 'trap' },
  ],
  /** STATUS's u8 state. */
  state: [
    { name: 'IDLE', text: 'idle' },
    { name: 'TRAINING', text: 'training' },
    { name: 'UPLOAD', text: 'upload' },
    { name: 'PAUSED', text: 'paused (telemetry ring full, waiting for the host)' },
  ],
  /** TRAIN_START's optional u8: what a full ring of unacknowledged telemetry does. */
  telemetryMode: [
    { name: 'DROP_OLDEST', text: 'drop-oldest' },
    { name: 'PAUSE', text: 'pause' },
  ],
  /** INFO's reset cause (boot section): why the board last started, and why it reverted. */
  resetCause: [
    { name: 'POWER_ON', text: 'power-on' },
    { name: 'REQUEST', text: 'RESET request' },
    { name: 'WATCHDOG', text: 'watchdog (a call into the module ran too long)' },
    { name: 'CRASH', text: 'crash' },
  ],
  /** INFO's boot event: why the record in force was written, when not by a commit or CONFIRM. */
  bootEvent: [
    { name: 'NONE', text: 'none' },
    { name: 'REVERTED', text: 'reverted at boot' },
    { name: 'ROLLED_BACK', text: 'rolled back on request' },
  ],
  /** LOG's u8 level. */
  log: [
    { name: 'DEBUG', text: 'debug' },
    { name: 'INFO', text: 'info' },
    { name: 'WARN', text: 'warn' },
    { name: 'ERROR', text: 'error' },
  ],
} as const;
