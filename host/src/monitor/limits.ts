// Limits of `qiot monitor`, with the reason for each.

export const MONITOR = {
  /** How often a lost board is looked for again: a restarting emulator or ESP32 is back within ~1 s,
   *  and a failed open of a missing path costs nothing. */
  reconnectIntervalMs: 500,
  /** Handshake timeout of each reconnect attempt: a board that is there answers HELLO within
   *  a few hundred ms; a longer wait would only delay noticing a quit key. */
  reconnectHandshakeMs: 2_000,
} as const;
