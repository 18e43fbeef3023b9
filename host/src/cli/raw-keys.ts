// The keys of `qiot monitor` and `flash|train --monitor`: a terminal stdin in raw mode (no
// echo, no line editing, Ctrl-C a key rather than SIGINT), set before the port is opened so
// keys typed while connecting reach the command, and restored by stop() on every way out.

export interface RawKeys {
  /** Stops listening and gives the terminal back its cooked mode. */
  stop(): void;
}

/** Each character typed goes to onKey until stop(); null when stdin is not a terminal. */
export function listenRawKeys(onKey: (key: string) => void): RawKeys | null {
  const stdin = process.stdin;
  if (!stdin.isTTY) return null;
  const onData = (chunk: Buffer) => {
    for (const key of chunk.toString()) onKey(key);
  };
  stdin.setRawMode(true);
  stdin.resume();
  stdin.on('data', onData);
  return {
    stop: () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
