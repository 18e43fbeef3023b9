// The wire protocol's message types, request table and codes (docs/protocol.md): the one
// description the firmware and the host derive from. Data only. abi/generate.ts (run by
// `make runtime`, or `make abi`) turns it into firmware/core/protocol.h (type and code enums),
// firmware/core/qiot_requests.h (the request table as an X-macro and the handler prototypes),
// host/src/protocol/protocol.generated.ts (MessageType, ErrorCode, … and the authenticated
// types) and the tables of docs/protocol.md. Adding a request is an entry here plus its handler
// (docs/architecture.md "Add a protocol command"). Codes are wire-visible: never renumber.

export interface Request {
  /** Symbol: MSG_<symbol> in C, MessageType.<symbol> on the host. */
  symbol: string;
  /** The name in docs, logs and error texts (defaults to the symbol). */
  name?: string;
  code: number;
  /** Its handler is handle_<handler> in one of firmware/core/req_*.c (or train.c). */
  handler: string;
  /** Payload bounds in bytes (C expressions over qiot_config.h, e.g. 'QIOT_MAX_PAYLOAD'); outside them: BAD_PAYLOAD. */
  min: number | string;
  max: number | string;
  /** What the payload carries, in the BAD_PAYLOAD text ("<name> carries <text>"). */
  carries: string;
  /** Refused with NO_MODULE when no module is loaded. */
  needsModule: boolean;
  /** Refused with BAD_STATE while training. */
  idleOnly: boolean;
  /** On a provisioned board only accepted with an authentication trailer (docs/security.md). */
  authenticated: boolean;
  /** docs/protocol.md: the payload layout and the answer. */
  payload: string;
  answer: string;
}

export const REQUESTS: readonly Request[] = [
  {
    symbol: 'HELLO',
    code: 0x01,
    handler: 'hello',
    min: 2,
    max: 2,
    carries: 'a u16 protocol version',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    payload: 'u16 host protocol version',
    answer: "INFO (whatever the host's version: the host decides)",
  },
  {
    symbol: 'UPLOAD_BEGIN',
    code: 0x02,
    handler: 'upload_begin',
    min: 36,
    max: '36 + 11 + QIOT_MAX_TARGET_NAME + 64',
    carries: 'u32 size and a 32-byte sha256, optionally followed by a signed manifest',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    payload: 'u32 size ‖ u8 sha256[32] [‖ signed manifest]',
    answer:
      'OK: u32 resume offset (bytes already held for this same sha256, else 0); a provisioned board needs the manifest (ERROR SIGNATURE, ABI_MISMATCH, ROLLBACK)',
  },
  {
    symbol: 'UPLOAD_CHUNK',
    code: 0x03,
    handler: 'upload_chunk',
    min: 5,
    max: 'QIOT_MAX_PAYLOAD',
    carries: 'u32 offset and at least one byte',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    payload: 'u32 offset ‖ data',
    answer: 'OK: u32 contiguous bytes received (or ERROR UPLOAD_OFFSET)',
  },
  {
    symbol: 'UPLOAD_COMMIT',
    code: 0x04,
    handler: 'upload_commit',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    payload: '—',
    answer: 'OK: u8 active slot ‖ u8 sha256[32], or ERROR (HASH_MISMATCH, MODULE_INVALID, ABI_MISMATCH, UPLOAD_INCOMPLETE)',
  },
  {
    symbol: 'CONFIG',
    code: 0x05,
    handler: 'config',
    min: 'QIOT_CONFIG_STRUCT_SIZE',
    max: 'QIOT_CONFIG_STRUCT_SIZE',
    carries: 'the 192-byte config struct',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    payload: 'config struct (docs/abi.md, 192 bytes)',
    answer: 'OK (validated by `init` at TRAIN_START)',
  },
  {
    symbol: 'DATASET',
    code: 0x06,
    handler: 'dataset',
    min: 4,
    max: 'QIOT_MAX_PAYLOAD',
    carries: 'u32 offset and data',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    payload: "u32 offset ‖ data (into the module's dataset region)",
    answer: 'OK: u32 offset + length, or ERROR DATASET_RANGE past `dataset_capacity()`',
  },
  {
    symbol: 'TRAIN_START',
    code: 0x07,
    handler: 'train_start',
    min: 4,
    max: 'QIOT_MAX_PAYLOAD',
    carries: 'a u32 step count, optionally a u8 telemetry mode and then θ to start from',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    payload:
      'u32 steps (0 = until STOP or budget) [‖ u8 telemetry mode: 0 drop oldest (the default without the byte), 1 pause [‖ u16 count ‖ f64 θ[count]: written after `init`, before the first step (config `param_init` = host; the layerwise schedule)]]',
    answer:
      "OK: u32 param_count, then TELEMETRY… and DONE; or ERROR CONFIG_INVALID (text = the module's `error_message`); ERROR BAD_PAYLOAD when θ's count is not `param_count()` (so at most 127, 125 with an authentication trailer)",
  },
  {
    symbol: 'TRAIN_STOP',
    code: 0x08,
    handler: 'train_stop',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    payload: '—',
    answer: 'OK; the run ends at once with DONE status STOPPED, a step under way is abandoned (OK and no DONE when idle)',
  },
  {
    symbol: 'STATUS_REQUEST',
    name: 'STATUS',
    code: 0x09,
    handler: 'status',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    payload: '—',
    answer: 'STATUS',
  },
  {
    symbol: 'TELEMETRY_FETCH',
    code: 0x0a,
    handler: 'fetch',
    min: 4,
    max: 4,
    carries: 'a u32 from_tseq',
    needsModule: false,
    idleOnly: false,
    authenticated: false,
    payload: 'u32 from_tseq',
    answer:
      "the ring's records with tseq ≥ from_tseq as TELEMETRY_REPLAY frames (original payload, `seq` = request seq), then OK: u32 first_held ‖ u32 next_tseq ‖ u32 missing (tseqs requested but no longer held)",
  },
  {
    symbol: 'RESET',
    code: 0x0b,
    handler: 'reset',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    payload: '—',
    answer:
      'OK, then the board restarts (state in slots survives); bytes received after the RESET frame are served by the restarted core where the restart keeps RAM (posix), lost with a chip reset (rv32, ESP32: wait for HELLO)',
  },
  {
    symbol: 'PARAMS_READ',
    code: 0x0c,
    handler: 'params_read',
    min: 0,
    max: 2,
    carries: 'nothing or a u16 first index',
    needsModule: true,
    idleOnly: false,
    authenticated: false,
    payload: '— or u16 first',
    answer: 'OK: u16 count ‖ f64 θ[first … first+n) with n = min(count − first, 127) (after a successful TRAIN_START)',
  },
  {
    symbol: 'PARAMS_WRITE',
    code: 0x0d,
    handler: 'params_write',
    min: 2,
    max: 'QIOT_MAX_PAYLOAD',
    carries: 'u16 count and that many f64 values',
    needsModule: true,
    idleOnly: true,
    authenticated: true,
    payload: 'u16 count ‖ f64 θ[count]',
    answer: 'OK (after a successful TRAIN_START; count must equal `param_count()`, so at most 127; 125 with an authentication trailer)',
  },
  {
    symbol: 'PROVISION',
    code: 0x0e,
    handler: 'provision',
    min: 1,
    max: '1 + QIOT_MAX_TRUSTED_KEYS * 32 + QIOT_CONTROL_KEY_SIZE',
    carries: 'u8 n, n 32-byte public keys and a 32-byte control key',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    payload: 'u8 n (0…2) ‖ n Ed25519 public keys[32] ‖ control key[32] (absent when n = 0)',
    answer: 'OK: the board trusts these keys from now on; n = 0 opens it again (docs/security.md)',
  },
  {
    symbol: 'TELEMETRY_ACK',
    code: 0x0f,
    handler: 'telemetry_ack',
    min: 4,
    max: 4,
    carries: 'a u32 next_tseq',
    needsModule: false,
    idleOnly: false,
    // Open (docs/security.md "Why TELEMETRY_ACK is open"): it can only let the board overwrite records
    // it already sent (never beyond next_tseq) — a loss the host detects by sequence, no worse than
    // dropping the telemetry frames themselves — and it lets a gateway without the key keep relayed
    // runs on provisioned boards lossless.
    authenticated: false,
    payload: 'u32 next_tseq (the host holds every record below it)',
    answer:
      'OK: u32 acked (cumulative, never decreases) ‖ u32 dropped (records overwritten before they were acknowledged, since boot); ERROR BAD_PAYLOAD for a tseq not yet sent',
  },
  {
    symbol: 'CONFIRM',
    code: 0x10,
    handler: 'confirm',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: false,
    authenticated: true,
    payload: '—',
    answer:
      'OK: the active module\'s trial ends (docs/reliability.md "Trial boot"; OK too when nothing was pending), or ERROR NO_MODULE when none is committed',
  },
  {
    symbol: 'ROLLBACK',
    code: 0x11,
    handler: 'rollback',
    min: 0,
    max: 0,
    carries: 'no payload',
    needsModule: false,
    idleOnly: true,
    authenticated: true,
    payload: '—',
    answer:
      'OK: u8 active slot ‖ u8 sha256[32]: the previous module (the other slot) is active again; ERROR NO_MODULE (none, or an upload replaced it), ROLLBACK (provisioned board: previous module unsigned or below the floor)',
  },
];

/** Board → host messages. */
export const RESPONSES: readonly { symbol: string; code: number; payload: string; note?: string }[] = [
  { symbol: 'OK', code: 0x80, payload: 'depends on request' },
  { symbol: 'INFO', code: 0x81, payload: 'see "INFO payload" below' },
  {
    symbol: 'STATUS',
    code: 0x82,
    payload:
      'u8 state (0 idle, 1 training, 2 upload, 3 paused: a pause-mode run waiting for TELEMETRY_ACK) ‖ u32 step ‖ u32 next_tseq ‖ u8 active_slot (0xFF none) ‖ u64 shots_total (`step`, `shots_total`: from the last TELEMETRY record of the current or last run)',
  },
  { symbol: 'TELEMETRY', code: 0x83, payload: 'u32 tseq ‖ u32 step_us ‖ record (64 bytes, docs/abi.md)' },
  { symbol: 'DONE', code: 0x84, payload: 'u32 status ‖ u32 steps ‖ u64 shots_total ‖ f64 train_loss ‖ f64 test_accuracy ‖ f64 test_loss' },
  { symbol: 'LOG', code: 0x85, payload: 'u8 level (0 debug … 3 error) ‖ text' },
  { symbol: 'TELEMETRY_REPLAY', code: 0x86, payload: 'as TELEMETRY', note: 'a record sent again by TELEMETRY_FETCH, never live' },
  { symbol: 'ERROR', code: 0xff, payload: 'u16 code ‖ text' },
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
