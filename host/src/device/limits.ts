// Every host-side link and client limit, in one place, with the reason for each.

export const CLIENT = {
  /** HELLO is re-sent this often until INFO arrives: bytes a board writes before the host opens a PTY are lost (DESIGN pitfall 11). */
  helloIntervalMs: 200,
  /** How long `connect` keeps polling before declaring the board unreachable (a booting QEMU board needs ~1 s). */
  connectTimeoutMs: 5_000,
  /** Default answer timeout for a request; generous because a 10-qubit step on an interpreter can take ~1 s and the board answers between steps. */
  requestTimeoutMs: 5_000,
  /** UPLOAD_COMMIT hashes and parses the module with wasm3 on an MCU: allow more. */
  commitTimeoutMs: 20_000,
  /** Chunks in flight during an upload (docs/protocol.md default window). */
  uploadWindow: 8,
  /** Times an upload may restart from the board's resume offset before giving up. */
  uploadResumeLimit: 16,
  /** Records between TELEMETRY_ACKs: a quarter of the board's 64-record ring, so a board in
   *  pause mode (lossless telemetry) never waits for a host that keeps up, at one small frame per 16 records. */
  telemetryAckEvery: 16,
  /** A run that sent no frame for this long is probed with STATUS (DeviceClient): a board that restarted under it
   *  (watchdog, crash, power) is idle and would never send its DONE. Probing is harmless, so this only sets how soon
   *  a restart is noticed: a healthy board answers STATUS between the 20 ms slices of a step of any length
   *  (docs/protocol.md), so a slow step is never mistaken for a restart; one small request per 10 s of quiet. */
  runQuietMs: 10_000,
  /** How long that STATUS may go unanswered before the board counts as unreachable. A healthy board is deaf only
   *  inside an unsliced module call (init, the evaluations before DONE), which its watchdog bounds at
   *  QIOT_WATCHDOG_UNSLICED_MS = 120 s (firmware/core/qiot_config.h; then it returns or resets and answers):
   *  twice that leaves room for a loaded host or an emulator's slower clock (limits.test.ts checks the relation). */
  runSilentMs: 240_000,
  /** After TRAIN_STOP the board finishes its current step before DONE. */
  stopTimeoutMs: 30_000,
} as const;
