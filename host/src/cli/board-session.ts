// Opening the board for a command that acts on it as it is (params, stop, reset,
// attach): never restarted through DTR/RTS, authenticated with --key when provisioned.
import { DeviceClient } from '../device/client.ts';
import { MessageType } from '../protocol/constants.ts';
import { decodeDone, type DoneMessage } from '../protocol/payloads.generated.ts';
import type { KeyOptionValues } from './key-option.ts';
import { keyConnectOptions } from './key-option.ts';
import { boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';

export interface BoardCommandOptions extends PortOptionValues, KeyOptionValues {}

export async function withBoard<T>(opts: BoardCommandOptions, body: (client: DeviceClient, port: string) => Promise<T>): Promise<T> {
  const port = portOf(opts);
  const client = await DeviceClient.open(port, { ...boardPortOptions({ ...opts, reset: false }), ...keyConnectOptions(opts) });
  try {
    return await body(client, port);
  } finally {
    await client.close();
  }
}

/** Resolves with the next unsolicited DONE the board sends, or null after timeoutMs. */
export function nextDone(client: DeviceClient, timeoutMs: number): Promise<DoneMessage | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), timeoutMs);
    const unsubscribe = client.link.onFrame((f) => {
      if (f.type === MessageType.DONE && f.seq === 0) finish(decodeDone(f.payload));
    });
    function finish(done: DoneMessage | null) {
      clearTimeout(timer);
      unsubscribe();
      resolve(done);
    }
  });
}
