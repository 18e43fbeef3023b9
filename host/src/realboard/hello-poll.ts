// Polling a board until it answers: output written before the host opened the port
// is lost (DESIGN pitfall 11) and a real board is still in its ROM for a few hundred
// milliseconds after a reset, so one HELLO is not enough. The request is repeated
// until the answer arrives or the deadline passes, and never after the answer.

export class BoardSilentError extends Error {
  constructor(
    readonly attempts: number,
    readonly waitedMs: number,
    detail: string,
  ) {
    super(`no answer to ${attempts} HELLO request${attempts === 1 ? '' : 's'} in ${waitedMs} ms: ${detail}`);
    this.name = 'BoardSilentError';
  }
}

export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Text for the timeout error (e.g. describeBootText of what the board printed). */
  describeSilence?: () => string;
}

/** Calls send() now and every intervalMs until `answer` settles; resolves with the answer,
 *  rejects with its error, or with BoardSilentError after timeoutMs. */
export function pollUntilAnswered<T>(send: () => Promise<void>, answer: Promise<T>, options: PollOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let attempts = 0;
    let settled = false;
    const started = Date.now();
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      done();
    };
    const attempt = () => {
      if (settled) return;
      attempts++;
      send().catch((err: Error) => finish(() => reject(err)));
    };
    const ticker = setInterval(attempt, options.intervalMs);
    const deadline = setTimeout(() => {
      const detail = options.describeSilence?.() ?? 'the board sent no INFO';
      finish(() => reject(new BoardSilentError(attempts, Date.now() - started, detail)));
    }, options.timeoutMs);
    answer.then(
      (value) => finish(() => resolve(value)),
      (err: Error) => finish(() => reject(err)),
    );
    attempt();
  });
}
