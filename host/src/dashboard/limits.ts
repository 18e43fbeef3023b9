// Every dashboard limit, in one place, with the reason for each.

export const DASHBOARD = {
  /** Default HTTP port (`--port`); 0 picks a free one (tests, parallel dashboards). */
  defaultPort: 8080,
  /** Default bind address: loopback only; anything else needs `--host` and prints a warning. */
  defaultHost: '127.0.0.1',
  /** Random bytes of the command token printed at start-up (256 bits: not guessable). */
  tokenBytes: 32,
  /** Largest request body accepted (a run config with an inline dataset fits well within). */
  maxBodyBytes: 256 * 1024,
  /** Run logs are looked for this deep under `--runs DIR` (a sweep writes DIR/<sweep>/<run>.jsonl). */
  runsMaxDepth: 3,
  /** At most this many run logs are listed (newest first), so a huge directory cannot stall the page. */
  runsMaxListed: 2_000,
  /** A log without a summary that changed within this time is shown as live. */
  liveLogWindowMs: 30_000,
  /** Telemetry messages of a board's current run kept for the backfill of a page opened mid-run (80 B each: ≤ 0.8 MB per board; a longer run keeps its latest). */
  backfillRecordsPerBoard: 10_000,
  /** Bytes read from each end of a run log to list it (header first, summary last) without reading it all. */
  headTailBytes: 64 * 1024,
} as const;

/** Limits of the page itself (bundled into the browser code). */
export const PAGE = {
  /** Points kept per series in a live chart; older steps are thinned 2:1 beyond this (64 boards × long runs stay light). */
  maxPointsPerSeries: 4_000,
  /** Charts and the fleet table are redrawn at most this often; telemetry between frames is batched. */
  redrawIntervalMs: 250,
  /** A live run log (no summary yet) is re-read this often. */
  runLogPollMs: 1_000,
  /** MQTT reconnect period after the broker is lost. */
  reconnectPeriodMs: 1_000,
  /** A board whose last message is older than this is drawn as stale in the fleet table. */
  staleAfterMs: 10_000,
} as const;
