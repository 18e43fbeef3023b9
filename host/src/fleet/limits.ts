// Every limit of the fleet layer (MQTT topics, gateway, worker, sweep) in one
// place, with the reason for each (docs/fleet.md).

export const FLEET = {
  /** Topic root; the version segment changes only with an incompatible payload change. */
  topicRoot: 'qiot/v1',
  /** Version carried in every JSON payload and the first byte of every telemetry payload. */
  payloadVersion: 1,
  /** Telemetry, commands and replies must not be lost: QoS 1 (at least once; duplicates are removed by sequence / correlation id). */
  qos: 1 as const,
  /** MQTT keep-alive: a silent client (e.g. a host that lost power) is declared offline by the broker after 1.5× this. */
  keepaliveS: 10,
  /** MQTT 5 session expiry of persistent sessions (executors, sweeps): 0xFFFFFFFF = never, as a 3.1.1 persistent session; a sweep removes its own when it exits. */
  sessionExpiryS: 0xffff_ffff,
  /**
   * MQTT 5 Receive Maximum: QoS 1 messages the broker may send us before we acknowledge them. Without
   * it Mosquitto uses its max_inflight_messages (20 by default and in host/testing/mosquitto.conf), so
   * a subscriber's rate is capped at 20 per round trip: 10 000 msgs/s at a 2 ms round trip, exactly the
   * 1 000-board bench's rate, so every scheduling hiccup left a backlog that drained for seconds (its
   * p99 of 9 s, docs/fleet.md). 1 000 keeps that cap far above any rate here (10⁵/s at 10 ms) while a
   * backlog still waits in the broker rather than in TCP buffers. aedes (MQTT 3.1.1) ignores it.
   */
  receiveMaximum: 1_000,
  /** Reconnect attempts after the broker vanished (e.g. restarted). */
  reconnectPeriodMs: 500,
  /** First connection: a broker that does not accept within this is reported as down. */
  connectTimeoutMs: 5_000,
  /** Telemetry records an executor keeps while the broker is unreachable; beyond this they are counted as dropped, never silently. 10 000 × 80 B = 800 KB. */
  maxQueuedTelemetry: 10_000,
  /**
   * Records per telemetry message at most. A fast executor (a worker thread runs a 4-qubit step in
   * ~2 ms) would otherwise cost one MQTT publish, one broker delivery and one decode per step on
   * the main threads of the executor and of the sweep, which made more threads slower (docs/fleet.md). Room for a
   * worker thread's batch (workerBatchMs at ≈ 1 ms per step); 256 × 80 B = 20 KiB.
   */
  telemetryBatchMax: 256,
  /** A record waits at most this long for others to share its message: the latency a batch adds (a board at ≤ 20 steps/s sends each record alone). */
  telemetryBatchMs: 50,
  /**
   * A worker thread holds its steps this long (or telemetryBatchMax of them) before handing them to its executor,
   * which publishes them as they come. Each telemetry message costs ≈ 1 ms of CPU on the executor's and on the
   * sweep's main thread on this machine (the socket write and wake-ups, measured: bench/fleet-job-cost.ts), so at
   * 50 ms a sweep spent ≈ 2 % of every step on messages; a live monitor sees a worker's steps this much later.
   */
  workerBatchMs: 200,
  /** How long a closing executor waits for the broker to acknowledge its offline status; a broker that is gone never does, and Ctrl-C / SIGTERM must still end the process (the broker's copy of the will says offline when it sees the connection gone). */
  closeGraceMs: 2_000,
  /** A request that is not answered by its first reply within this (the executor is gone or never existed). */
  requestTimeoutMs: 10_000,
  /** Flashing a module goes through the board's upload and commit (wasm3 parses it on an MCU). */
  flashTimeoutMs: 60_000,
  /** RESET: the board's answer, its restart (an ESP32 reboots in seconds) and the new handshake (CLIENT.connectTimeoutMs). */
  resetTimeoutMs: 30_000,
  /** After a run's final reply, the time allowed for telemetry still in flight (different topic, so no ordering guarantee across a broker restart). */
  telemetryGraceMs: 10_000,
  /** An executor whose status turns offline while it runs a command gets this long to come back with the command still running (a broker restart publishes its last will) before the command counts as lost. */
  offlineGraceMs: 5_000,
  /** A sweep run that fails for host-side reasons (executor lost, telemetry lost) is tried this many times before it is written as failed. */
  sweepMaxAttempts: 5,
  /** A sweep run whose board restarted under it (`restarted`: a crash or power cut, not the run's fault) is run again;
   *  after this many restarts the run is taken for the cause (a module or config that trips the watchdog every time)
   *  and written as failed naming the reset cause, rather than resetting the fleet's boards for ever. 3: two
   *  unrelated restarts of the same run in one sweep are already unlikely. */
  sweepMaxRestarts: 3,
  /** `qiot sweep` gives up when no executor took a run for this long (--wait). */
  sweepWaitS: 30,
  /** A sweep with runs to hand out and none running says "waiting for executors" after this long (retained statuses arrive right after subscribing: no note on a normal start). */
  sweepWaitingNoteMs: 2_000,
  /** A gateway retries a board that vanished (or never answered) this often. */
  reattachMs: 1_000,
  /** --board posix:N: more emulated boards than this on one host is a typo, not a plan (each is a process). */
  maxBoardsPerSpec: 64,
  /** `qiot fleet ls` collects retained status messages for this long. */
  discoverMs: 1_000,
  /** The embedded broker's MQTT port on 127.0.0.1 when --broker is not given: not the standard 1883, which a system Mosquitto (Debian's package starts one) may hold; joining that one by accident would put qiot's fleet on a broker nobody meant. */
  embeddedPort: 18830,
  /** The embedded broker's WebSocket port on 127.0.0.1 (dashboard), next to embeddedPort for the same reason. */
  embeddedWsPort: 18831,
  /** θ values a traced run (`train` with `trace`, experiments through the fleet) may send back in its `done` reply: 2²⁰ f64 = 8 MiB (11 MiB base64), far below brokers' message limits (Mosquitto 256 MiB); the full nlr experiment needs ≤ 5 001 × 32. */
  traceMaxValues: 1 << 20,
  /** Authentication trailers a gateway keeps for a provisioned board (fleet/auth.ts): a flash needs one per 1 000-byte chunk (a 32 KiB slot: 35), so this is room for many commands; older ones are spent anyway. */
  maxAuthTrailers: 4096,
  /** Largest message the executors accept: a module upload (≤ 64 KiB module, base64) plus its command. */
  maxPayloadBytes: 256 * 1024,
} as const;
