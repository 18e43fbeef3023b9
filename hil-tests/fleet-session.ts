// A fleet target's session: this host's connection to the broker (QIOT_BROKER, QIOT_BROKER_CONFIG …
// as for `qiot fleet`; the embedded broker's address when none is set) and the board, as a
// FleetDevice (host/src/fleet/fleet-device.ts).
import { brokerSettings, redact, type BrokerSettings } from '../host/src/fleet/broker.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { FleetDevice } from '../host/src/fleet/fleet-device.ts';
import { FLEET } from '../host/src/fleet/limits.ts';

/** The broker of the fleet commands (docs/fleet.md): configured, else the embedded broker's address on this host. */
export function hilBrokerSettings(env: NodeJS.ProcessEnv = process.env): BrokerSettings {
  return brokerSettings({}, env) ?? { url: `mqtt://127.0.0.1:${env.QIOT_EMBEDDED_PORT ?? FLEET.embeddedPort}` };
}

export interface FleetSession {
  device: FleetDevice;
  /** Disconnects from the broker for `ms`, then reconnects to the same (persistent) session. */
  leave(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Connects, waits up to `timeoutMs` for the board's retained status to say online, and asks for its INFO. */
export async function connectFleet(id: string, timeoutMs: number): Promise<FleetSession> {
  const settings = hilBrokerSettings();
  // Persistent: the broker keeps the session's telemetry and replies while this host is away (leave()); close() removes it.
  const client = await FleetClient.connect(settings, 'hil', { persistent: true });
  try {
    await client.watchTelemetry();
    const deadline = Date.now() + timeoutMs;
    while (client.statuses.get(id)?.state !== 'online' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const status = client.statuses.get(id);
    if (status?.state !== 'online') {
      const why = status ? `offline (${status.reason})` : 'not known to it (no retained status)';
      throw new Error(`board ${id} on ${redact(settings.url)} is ${why}`);
    }
    const device = await FleetDevice.open(client, id);
    const leave = async (ms: number) => {
      await client.mqtt.endAsync(true);
      await new Promise((r) => setTimeout(r, ms));
      const back = new Promise((r) => client.mqtt.once('connect', r));
      client.mqtt.reconnect();
      await back;
    };
    return { device, leave, close: () => client.close() };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}
