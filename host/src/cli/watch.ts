// `qiot flash --monitor` / `qiot train --monitor`: after the command's work, the same
// monitor session as `qiot monitor` (monitor/session.ts: every frame the board sends on
// its own, timestamped; waits for the board when it restarts) until Ctrl-C or q.
import { DeviceClient } from '../device/client.ts';
import { SHOW_ALL } from '../monitor/filter.ts';
import { textLine, wantsColour } from '../monitor/records.ts';
import { MonitorSession } from '../monitor/session.ts';
import { keyConnectOptions, type KeyOptionValues } from './key-option.ts';
import { boardPortOptions, type PortOptionValues } from './port-options.ts';
import { listenRawKeys } from './raw-keys.ts';

/** q, Ctrl-C and Ctrl-] (qiot monitor's quit key). */
const QUIT_KEYS = new Set(['q', 'Q', '\u0003', '\u001d']);

export const MONITOR_OPTION_HELP =
  'afterwards stay on the board and show what it sends on its own, as qiot monitor does (Ctrl-C or q ends)';

/** Call after closing the command's own client (the port is opened exclusively). */
export async function monitorBoard(port: string, opts: PortOptionValues & KeyOptionValues): Promise<void> {
  const colour = wantsColour(process.stdout);
  const session = new MonitorSession({
    port,
    open: (timeoutMs, signal) =>
      DeviceClient.open(port, { ...boardPortOptions({ ...opts, reset: false }), timeoutMs, signal, ...keyConnectOptions(opts) }),
    write: (record) => process.stdout.write(`${textLine(record, colour)}\n`),
    filter: SHOW_ALL,
  });
  const quit = () => session.quit();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  // Raw before the port is opened: a q typed while connecting quits.
  const keys = listenRawKeys((key) => {
    if (QUIT_KEYS.has(key)) quit();
  });
  try {
    if (await session.start()) await session.run();
  } finally {
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    keys?.stop();
  }
}
