// What every `qiot experiment … --broker/--threads` test needs: an embedded broker of the
// run's own (not the shared default port), and the same three refusals checked for each
// experiment (broker down, a fleet without workers, --workers with the fleet).
import { expect } from 'vitest';
import { startEmbeddedBroker } from '../src/fleet/broker.ts';
import { qiot } from './harness.ts';
import { freePort } from './mosquitto.ts';

/** Environment for a `--threads` run: its embedded broker on free ports of its own (not the shared default 18830). */
export async function ownEmbeddedBroker(): Promise<NodeJS.ProcessEnv> {
  return { QIOT_EMBEDDED_PORT: String(await freePort()), QIOT_EMBEDDED_WS_PORT: String(await freePort()) };
}

export type RefusalCase = 'down' | 'none' | 'both';

/** `command(extra, which)`: the argv of the experiment checked for that case, with `extra` (fleet options and its own -o) added. */
export async function expectFleetRefusals(
  command: (extra: string[], which: RefusalCase) => string[],
  out: (name: string) => string,
): Promise<void> {
  const empty = await startEmbeddedBroker(0, 0);
  try {
    const [down, none, both] = await Promise.all([
      qiot(command(['--broker', `mqtt://127.0.0.1:${await freePort()}`, '-o', out('down')], 'down')),
      qiot(command(['--broker', empty.url, '--wait', '3', '-o', out('none')], 'none')),
      qiot(command(['--workers', '2', '--threads', '2', '-o', out('both')], 'both')),
    ]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('waiting for executors (no executor is online); giving up after 3 s');
    expect(none.stderr).toContain('no executor took a run for 3 s: no executor is online; start `qiot worker` on this broker');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--workers sets this process's worker threads; with the fleet, use --threads");
  } finally {
    await empty.close();
  }
}
