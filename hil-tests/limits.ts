// Every limit of the HIL suite, in one place, with the reason for each.

// Per-board values (time scale, upload window, upload-cut trials) live in the board's
// definition (host/src/boards/); every duration here is measured on the posix board and
// multiplied by the target's time scale.

export const BASE_MS = {
  /** One test on the posix board: the slowest (1000 faulty frames, 20 upload cuts with a board
   *  relaunch each) takes ~10 s there. */
  test: 60_000,
  /** Launching and flashing a board in beforeAll. */
  hook: 30_000,
  /** HELLO polling until a (re)started board answers: the posix board is up in milliseconds, QEMU
   *  in ~1 s, an ESP32 after its ROM boot (~0.5 s). */
  connect: 5_000,
  /** How long the suite waits for ERROR answers to one batch of faulty frames. */
  faultAnswers: 5_000,
  /** Polling STATUS until a run ends (the disconnect tests wait for the board to finish alone). */
  runEnd: 20_000,
  /** Interval of that STATUS polling. */
  statusPoll: 20,
  /** From TRAIN_START of a module that loops to the board's answer after the watchdog reset: the
   *  posix board's watchdog counts 1 s of CPU time (10+ s of wall time on the loaded shared
   *  machine), rv32's 5 s (QIOT_WATCHDOG_MS) of wall time, plus the restart. */
  watchdogReset: 45_000,
} as const;

export const FAULTS = {
  /** Faulty frames sent before checking that a normal session still works (issue 4). */
  frames: 1000,
  /** Faulty bytes sent before waiting for their ERROR answers. A batch closes with the fault that
   *  reaches this size, so it holds at most this plus one oversize run (≤ 1 105 bytes), ~1.9 KB:
   *  well under the receive buffer of every port (rv32's 16550 FIFO is fed by QEMU's chardev, which
   *  waits for room; the ESP32 port's UART driver buffer is 16 KiB, QIOT_UART_RX_BUFFER), so a real
   *  UART without flow control loses nothing. */
  batchBytes: 768,
  /** One in this many faults is a run longer than a frame without a delimiter (OVERSIZE): they
   *  are 1 KiB each, so they are kept rare to keep the test short. */
  oversizeOneIn: 50,
  /** Seed of the fault generator (SplitMix64), printed with every failure. */
  seed: 0x5eed_f4,
} as const;

export const UPLOAD_CUT = {
  /** Every this many trials the other module is uploaded completely, so the last good module
   *  changes slot and the next cuts interrupt an upload into the other slot. */
  completeEvery: 5,
  seed: 0xc0ffee,
  /** Padding added to build/qiot.wasm (custom section) so a variant spans more chunks; kept well
   *  under the 32 KiB slot of every port together with the ~14 KB module. */
  paddingBytes: 6_000,
} as const;

export const RING = {
  /** The disconnect tests leave right after a run's first TELEMETRY and need the run (up to 64
   *  steps) to go on for a while: a loaded host may take tens of ms to close its port. A board
   *  whose EXACT step (measured by the board, TELEMETRY step_us) is shorter than this runs the
   *  HEAVY config instead. */
  minStepUs: 5_000,
  /** The overflow test runs ring_capacity + this many steps while the host is away. */
  overflowExtraSteps: 16,
  /** A board whose ring holds more than this would make the overflow test too long; it is then
   *  skipped with this reason. The firmware's ring holds 64 (firmware/core/qiot_config.h). */
  maxTestedCapacity: 512,
} as const;

export const TRAINING = {
  /** Steps of the bit-identical comparisons: several mini-batch windows, and enough for the
   *  SAMPLED run to take NLR ascents (its first is step 10; the EXACT run, whose exact descent
   *  steps always lower the loss, takes none), few enough for rv32 (~1 s each there). */
  identicalSteps: 12,
  /** Telemetry frames received before TRAIN_STOP is sent. */
  stopAfterFrames: 3,
  /** Whole steps the shot budget allows, plus half a step (so the budget is not a multiple of a
   *  step's cost and "a step is never cut short" is exercised). */
  budgetSteps: 3.5,
} as const;

export const LOSSLESS = {
  /** Steps of the lossless-telemetry run (issue 15: ~3 500 steps with 8 disconnects). rv32 runs a
   *  SAMPLED step in ~0.05 s under QEMU, so it runs fewer steps with the same disconnects. */
  steps: { rv32: 600 } as Readonly<Record<string, number>>,
  /** Steps on every other target (posix, real boards). */
  defaultSteps: 3_500,
  /** How long the host stays away each time, ms: 8 disconnects from 0.05 to 3 s. */
  awayMs: [50, 3_000, 400, 1_200, 100, 2_000, 700, 250],
  /** Leave after this fraction of the run's steps, one point per disconnect, all well before the
   *  end so the run cannot finish while the host is away (its DONE would be lost; records are not). */
  leaveAt: [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75],
} as const;

export const FLEET_HIL = {
  /** Multiplier on top of the board's own time scale for a board behind a gateway: every request
   *  is a round trip client → broker → gateway → board and back, the run's telemetry is batched by
   *  the gateway (≤ 50 ms), and the gateway's host runs every board's suite at once. */
  timeScale: 2,
  /** Boards whose suites run at once (QIOT_HIL_JOBS overrides): each suite is one vitest process
   *  (~150 MB) and mostly waits on its board, so more than the cores is fine; more than this on a
   *  2-core machine only queues. */
  jobs: 4,
  /** How long the runner collects the retained statuses of the broker's boards. */
  discoverMs: 1_500,
  /** The lossless test's persistent session outlives this host by at most this (MQTT 5): a suite killed
   *  mid-run must not leave the broker queueing a board's telemetry for ever. Well above its 3 s departures. */
  sessionExpiryS: 120,
} as const;
